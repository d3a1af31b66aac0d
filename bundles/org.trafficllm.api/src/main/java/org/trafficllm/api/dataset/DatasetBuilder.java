package org.trafficllm.api.dataset;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.dataset.dto.DatasetRequestDTO;
import org.trafficllm.api.dataset.dto.DatasetResultDTO;

/**
 * Builds a task's train and test files from a labelled corpus, the way TrafficLLM's
 * {@code preprocess_dataset.py} does, with a group-aware seeded split, per-class
 * caps, optional exact de-duplication and identifier masking.
 */
@ProviderType
public interface DatasetBuilder {
    /**
     * Reads, splits and writes one dataset.
     *
     * @param listener receives progress; may be {@code null}
     * @throws DatasetException when the request is invalid, the input cannot be read
     *         or the files cannot be written; no output file is then left looking complete
     */
    DatasetResultDTO build(DatasetRequestDTO request, BuildProgressListener listener) throws DatasetException;

    /** Names of the dataset layouts registered now, sorted. */
    List<String> layouts();
}

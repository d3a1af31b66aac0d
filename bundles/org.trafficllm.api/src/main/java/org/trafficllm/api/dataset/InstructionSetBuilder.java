package org.trafficllm.api.dataset;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.dataset.dto.InstructionSetRequestDTO;
import org.trafficllm.api.dataset.dto.InstructionSetResultDTO;

/**
 * Builds the stage-1 (router) dataset from TrafficLLM's instruction set: corrects
 * its known mislabelled rows by fixed keyword rules, maps task names to ids, and
 * writes a seeded train/test split that keeps identical instructions on one side.
 */
@ProviderType
public interface InstructionSetBuilder {
    /**
     * Reads, corrects, splits and writes the instruction set.
     *
     * @param listener receives progress; may be {@code null}
     * @throws DatasetException when the request is invalid, the input cannot be read
     *         or the files cannot be written
     */
    InstructionSetResultDTO build(InstructionSetRequestDTO request, BuildProgressListener listener)
            throws DatasetException;
}

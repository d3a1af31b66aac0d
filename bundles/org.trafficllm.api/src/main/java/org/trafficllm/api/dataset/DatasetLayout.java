package org.trafficllm.api.dataset;

import java.io.IOException;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;

/**
 * Reads one kind of labelled corpus and hands its samples, already rendered as
 * traffic text, to a {@link LayoutContext}. Registered as a whiteboard service with
 * {@link DatasetLayoutService}.
 *
 * <p>A layout delivers samples in an order that depends only on its input (sorted
 * file names, record order), so that a seeded build is reproducible. Damage to one
 * record is reported with {@link LayoutContext#skip(String, String)} and reading goes
 * on; damage that makes the rest of the input meaningless is thrown as a
 * {@link DatasetException} whose message names the file and the place.
 */
@ConsumerType
public interface DatasetLayout {
    /** The granularities this layout can produce. */
    Set<Granularity> granularities();

    /**
     * The renderer (see {@link org.trafficllm.api.task.dto.TaskDescriptorDTO#renderer})
     * this layout uses for samples of {@code granularity} for a task of {@code kind}.
     *
     * @throws DatasetException when the layout cannot produce such samples
     */
    String renderer(Granularity granularity, TaskKind kind) throws DatasetException;

    /** Reads {@link LayoutContext#input()} and hands every sample to {@code context}. */
    void read(LayoutContext context) throws IOException;
}

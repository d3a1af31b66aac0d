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

    /**
     * The renderer for this build when the request names one: layouts that can render
     * their samples more than one way accept the names they support. By default only
     * the layout's own renderer is accepted.
     *
     * @param requested the renderer the request asks for, or null for the layout's choice
     * @throws DatasetException when the layout cannot render {@code granularity} samples as
     *             {@code requested}; the message names the renderers it can use
     */
    default String renderer(Granularity granularity, TaskKind kind, String requested) throws DatasetException {
        String own = renderer(granularity, kind);
        if (requested != null && !requested.equals(own)) {
            throw new DatasetException("renderer '" + requested + "' is not available here: " + granularity.word()
                    + " samples are rendered as " + own);
        }
        return own;
    }

    /** Reads {@link LayoutContext#input()} and hands every sample to {@code context}. */
    void read(LayoutContext context) throws IOException;
}

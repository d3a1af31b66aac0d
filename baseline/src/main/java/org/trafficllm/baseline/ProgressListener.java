package org.trafficllm.baseline;

/** Receives progress of long steps: reading, feature extraction, training rounds, prediction. */
@FunctionalInterface
public interface ProgressListener {
    /**
     * @param phase what is being done, e.g. {@code train}
     * @param done units done so far
     * @param total units in all, or -1 when unknown
     */
    void progress(String phase, long done, long total);
}

package org.trafficllm.api.model;

/** What one {@link TrainingSession#update} did. */
public class UpdateResult {
    /** Optimizer steps taken so far, this one included. */
    public long step;
    /** Global L2 norm of the gradient before clipping. */
    public double gradientNorm;
    public double learningRate;
    /** Target tokens whose gradients this update averaged. */
    public long tokens;
}

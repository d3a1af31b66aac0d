package org.trafficllm.api.model;

/**
 * AdamW (decoupled weight decay, bias-corrected moments, as torch.optim.AdamW) and
 * global-norm gradient clipping. The learning rate is given per update by the
 * caller, who owns the schedule.
 */
public class OptimizerSettings {
    public double beta1 = 0.9;
    public double beta2 = 0.999;
    public double epsilon = 1e-8;
    public double weightDecay = 0.0;
    /** Clip the global gradient norm to this; 0 or less disables clipping. */
    public double maxGradientNorm = 1.0;
}

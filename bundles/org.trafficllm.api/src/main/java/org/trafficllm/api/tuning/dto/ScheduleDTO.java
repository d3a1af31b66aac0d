package org.trafficllm.api.tuning.dto;

import org.osgi.dto.DTO;

/**
 * The learning-rate schedule and optimizer settings of a run: linear warm-up from 0
 * to {@link #learningRate} over {@link #warmupSteps} optimizer steps, then decay
 * ({@code cosine}, {@code linear} or {@code constant}) to
 * {@code minLearningRateRatio × learningRate} at the last step. AdamW with
 * {@link #weightDecay}; the global gradient norm is clipped to
 * {@link #maxGradientNorm}.
 */
public class ScheduleDTO extends DTO {
    public double learningRate = 1e-3;
    /** Warm-up steps; a negative value means 5% of the run's steps. */
    public int warmupSteps = -1;
    /** {@code cosine}, {@code linear} or {@code constant}. */
    public String decay = "cosine";
    public double minLearningRateRatio = 0.1;
    public double weightDecay = 0.0;
    public double maxGradientNorm = 1.0;
    public double beta1 = 0.9;
    public double beta2 = 0.999;
}

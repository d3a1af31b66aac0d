package org.trafficllm.tuning.impl;

import org.trafficllm.api.model.OptimizerSettings;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.ScheduleDTO;

/**
 * Linear warm-up, then cosine, linear or no decay to a floor at the last step. A pure
 * function of the step, so a resumed run continues on the same curve.
 */
final class LearningRateSchedule {
    private final double peak;
    private final double floor;
    private final long warmup;
    private final long total;
    private final String decay;

    LearningRateSchedule(ScheduleDTO s, long totalSteps) throws TuningException {
        if (!(s.learningRate > 0) || Double.isInfinite(s.learningRate)) {
            throw new TuningException("learning rate must be a positive number, is " + s.learningRate);
        }
        if (s.minLearningRateRatio < 0 || s.minLearningRateRatio > 1) {
            throw new TuningException("minimum learning-rate ratio must be in [0, 1], is " + s.minLearningRateRatio);
        }
        decay = s.decay == null ? "cosine" : s.decay;
        if (!decay.equals("cosine") && !decay.equals("linear") && !decay.equals("constant")) {
            throw new TuningException("decay '" + decay + "' is not one of cosine, linear, constant");
        }
        this.peak = s.learningRate;
        this.floor = s.learningRate * s.minLearningRateRatio;
        this.total = Math.max(1, totalSteps);
        this.warmup = s.warmupSteps < 0 ? Math.round(0.05 * total) : Math.min(s.warmupSteps, total);
    }

    /** The rate of the optimizer update with 0-based index {@code step}. */
    double rate(long step) {
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        if (decay.equals("constant")) {
            return peak;
        }
        double progress = Math.min(1.0, (double) (step - warmup) / Math.max(1, total - 1 - warmup));
        if (decay.equals("linear")) {
            return peak - (peak - floor) * progress;
        }
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    /** The AdamW and clipping settings of a schedule, as the model's training sessions take them. */
    static OptimizerSettings optimizer(ScheduleDTO s) {
        OptimizerSettings o = new OptimizerSettings();
        o.beta1 = s.beta1;
        o.beta2 = s.beta2;
        o.weightDecay = s.weightDecay;
        o.maxGradientNorm = s.maxGradientNorm;
        return o;
    }

    long warmupSteps() {
        return warmup;
    }
}

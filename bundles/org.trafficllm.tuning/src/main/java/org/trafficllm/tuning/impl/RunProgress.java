package org.trafficllm.tuning.impl;

import org.trafficllm.api.tuning.TuningListener;
import org.trafficllm.api.tuning.dto.TuningProgressDTO;
import org.trafficllm.api.tuning.dto.ValidationDTO;

/**
 * Turns a loop's steps into progress reports: rates since this piece of the run
 * started and an ETA from the wall time per step (validation included), after every
 * optimizer step and at every phase change.
 */
final class RunProgress {
    private final TuningListener listener;
    private final long totalSteps;
    private final long firstStep;
    private final long startNanos = System.nanoTime();
    private final long elapsedBefore;
    private long tokens;

    RunProgress(TuningListener listener, long totalSteps, long firstStep, long elapsedBeforeMillis) {
        this.listener = listener;
        this.totalSteps = totalSteps;
        this.firstStep = firstStep;
        this.elapsedBefore = elapsedBeforeMillis;
    }

    long elapsedMillis() {
        return elapsedBefore + (System.nanoTime() - startNanos) / 1_000_000L;
    }

    double tokensPerSecond() {
        double s = (System.nanoTime() - startNanos) / 1e9;
        return s > 0 ? tokens / s : 0;
    }

    void step(long step, double epoch, double loss, long sequenceTokens, double rate) {
        tokens += sequenceTokens;
        if (listener == null) {
            return;
        }
        TuningProgressDTO p = base("train", step, epoch);
        p.loss = loss;
        p.learningRate = rate;
        listener.progress(p);
    }

    void phase(String phase, long step, double epoch, String message, ValidationDTO validation) {
        if (listener == null) {
            return;
        }
        TuningProgressDTO p = base(phase, step, epoch);
        p.message = message;
        p.validation = validation;
        listener.progress(p);
    }

    /** Samples classified so far in a {@code test} or {@code evaluate} phase, with their rate and ETA. */
    void samples(String phase, long step, double epoch, long done, long total, long nanos) {
        if (listener == null) {
            return;
        }
        TuningProgressDTO p = base(phase, step, epoch);
        fillSamples(p, done, total, nanos);
        listener.progress(p);
    }

    static void fillSamples(TuningProgressDTO p, long done, long total, long nanos) {
        p.samples = done;
        p.totalSamples = total;
        double seconds = nanos / 1e9;
        p.samplesPerSecond = seconds > 0 ? done / seconds : 0;
        p.etaMillis = done > 0 ? (long) ((total - done) * seconds * 1000 / done) : -1;
    }

    private TuningProgressDTO base(String phase, long step, double epoch) {
        TuningProgressDTO p = new TuningProgressDTO();
        p.phase = phase;
        p.step = step;
        p.totalSteps = totalSteps;
        p.epoch = epoch;
        p.elapsedMillis = elapsedMillis();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long done = step - firstStep;
        p.tokensPerSecond = seconds > 0 ? tokens / seconds : 0;
        p.stepsPerSecond = seconds > 0 ? done / seconds : 0;
        p.etaMillis = done > 0 ? (long) ((totalSteps - step) * seconds * 1000 / done) : -1;
        p.loss = Double.NaN;
        return p;
    }
}

package org.trafficllm.shell.impl;

import java.io.PrintStream;
import java.util.Locale;

import org.trafficllm.api.tuning.TuningListener;
import org.trafficllm.api.tuning.dto.TuningProgressDTO;

/**
 * Prints the progress of a tuning, pretraining or evaluation job on standard error:
 * every phase message at once, a step line (step, epoch, mean loss since the previous
 * line, learning rate, tokens/s, steps/s, elapsed, ETA) and a sample line while test
 * samples are classified (done/total, samples/s, elapsed, ETA), each at most every few
 * seconds and always at the end.
 */
final class TuningProgressPrinter implements TuningListener {
    private final String command;
    private final PrintStream err;
    private final long everyNanos;
    private long last;
    private double lossSum;
    private int losses;

    TuningProgressPrinter(String command, PrintStream err, long everyMillis) {
        this.command = command;
        this.err = err;
        this.everyNanos = everyMillis * 1_000_000L;
    }

    @Override
    public void progress(TuningProgressDTO p) {
        if (p.message != null) {
            err.println(command + ": " + p.message);
            return;
        }
        if (p.totalSamples > 0) {
            samples(p);
            return;
        }
        if (!"train".equals(p.phase)) {
            return;
        }
        lossSum += p.loss;
        losses++;
        long now = System.nanoTime();
        if (now - last < everyNanos && p.step < p.totalSteps) {
            return;
        }
        last = now;
        double loss = lossSum / losses;
        lossSum = 0;
        losses = 0;
        err.println(String.format(Locale.ROOT, "%s: step %d/%d (epoch %.2f) loss %.4f lr %.2e | %.0f tokens/s, %.2f "
                + "steps/s | elapsed %s, ETA %s", command, p.step, p.totalSteps, p.epoch, loss, p.learningRate,
                p.tokensPerSecond, p.stepsPerSecond, duration(p.elapsedMillis), p.etaMillis < 0 ? "unknown"
                        : duration(p.etaMillis)));
        err.flush();
    }

    private void samples(TuningProgressDTO p) {
        long now = System.nanoTime();
        if (now - last < everyNanos && p.samples < p.totalSamples) {
            return;
        }
        last = now;
        err.println(String.format(Locale.ROOT, "%s: %s %d/%d samples (%.0f%%) | %.1f samples/s | elapsed %s, ETA %s",
                command, p.phase, p.samples, p.totalSamples, 100.0 * p.samples / p.totalSamples, p.samplesPerSecond,
                duration(p.elapsedMillis), p.etaMillis < 0 ? "unknown" : duration(p.etaMillis)));
        err.flush();
    }

    static String duration(long millis) {
        long s = millis / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}

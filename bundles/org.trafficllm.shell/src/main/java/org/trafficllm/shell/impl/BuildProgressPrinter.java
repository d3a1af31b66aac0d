package org.trafficllm.shell.impl;

import java.io.PrintStream;

import org.trafficllm.api.dataset.BuildProgressListener;
import org.trafficllm.api.dataset.dto.BuildProgressDTO;

/**
 * Prints a build's progress on the error stream (stdout keeps the result only;
 * Gogo routes a command thread's System.err to its session):
 * one line per phase every two seconds, and the phase's last state.
 */
final class BuildProgressPrinter implements BuildProgressListener {
    private static final long INTERVAL_NANOS = 2_000_000_000L;
    private final PrintStream err;
    private final String command;
    private String phase;
    private long lastPrint;

    BuildProgressPrinter(PrintStream err, String command) {
        this.err = err;
        this.command = command;
    }

    @Override
    public synchronized void progress(BuildProgressDTO p) {
        long now = System.nanoTime();
        boolean phaseEnd = p.total >= 0 && p.done >= p.total;
        if (!p.phase.equals(phase)) {
            phase = p.phase;
            lastPrint = now - INTERVAL_NANOS;
        }
        if (!phaseEnd && now - lastPrint < INTERVAL_NANOS) {
            return;
        }
        lastPrint = now;
        StringBuilder line = new StringBuilder(command).append(": ").append(p.phase).append(' ').append(p.done);
        if (p.total >= 0) {
            line.append('/').append(p.total);
            if (p.total > 0) {
                line.append(String.format(" (%.0f%%)", 100.0 * p.done / p.total));
            }
        }
        line.append(' ').append(p.unit);
        if (p.ratePerSecond > 0) {
            line.append(String.format(", %.0f %s/s", p.ratePerSecond, p.unit));
        }
        if (p.etaSeconds >= 0 && !phaseEnd) {
            line.append(", ETA ").append(Durations.text(p.etaSeconds));
        }
        line.append(", ").append(p.samples).append(" samples");
        err.println(line);
        err.flush();
    }
}

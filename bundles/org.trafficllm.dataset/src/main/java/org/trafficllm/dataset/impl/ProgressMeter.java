package org.trafficllm.dataset.impl;

import org.trafficllm.api.dataset.BuildProgressListener;
import org.trafficllm.api.dataset.dto.BuildProgressDTO;

/**
 * Turns "done of total" updates into progress reports with rate and ETA, at most
 * four a second, plus one at the end of each phase.
 */
final class ProgressMeter {
    private static final long INTERVAL_NANOS = 250_000_000L;

    private final BuildProgressListener listener;
    private String phase;
    private String unit;
    private long phaseStart;
    private long lastReport;
    private long done;
    private long total = -1;

    ProgressMeter(BuildProgressListener listener) {
        this.listener = listener;
    }

    void phase(String name, long total, String unit) {
        this.phase = name;
        this.total = total;
        this.unit = unit;
        this.done = 0;
        this.phaseStart = System.nanoTime();
        this.lastReport = 0;
    }

    void update(long done, long total, String unit, long samples) {
        this.done = done;
        this.total = total;
        if (unit != null) {
            this.unit = unit;
        }
        long now = System.nanoTime();
        if (listener != null && now - lastReport >= INTERVAL_NANOS) {
            lastReport = now;
            listener.progress(report(now, samples));
        }
    }

    void finish(long samples) {
        if (listener != null) {
            if (total >= 0) {
                done = total;
            }
            listener.progress(report(System.nanoTime(), samples));
        }
    }

    private BuildProgressDTO report(long now, long samples) {
        BuildProgressDTO dto = new BuildProgressDTO();
        dto.phase = phase;
        dto.done = done;
        dto.total = total;
        dto.unit = unit;
        dto.samples = samples;
        double seconds = Math.max(1e-9, (now - phaseStart) / 1e9);
        dto.ratePerSecond = done / seconds;
        dto.etaSeconds = total >= 0 && done > 0 ? Math.round((total - done) / dto.ratePerSecond) : -1;
        return dto;
    }
}

package org.trafficllm.tokenizer.impl;

import org.trafficllm.api.tokenizer.TokenizerProgressListener;
import org.trafficllm.api.tokenizer.dto.TokenizerProgress;

/** Turns counts of one phase into progress reports: rate, ETA, at most four per second. */
final class ProgressReporter {
    private static final long INTERVAL_NANOS = 250_000_000L;

    private final TokenizerProgressListener listener;
    private final String phase;
    private final String unit;
    private final long total;
    private final long start = System.nanoTime();
    private long lastReport = start;

    ProgressReporter(TokenizerProgressListener listener, String phase, String unit, long total) {
        this.listener = listener;
        this.phase = phase;
        this.unit = unit;
        this.total = total;
    }

    /** Reports {@code done} if the last report is old enough. */
    void update(long done) {
        if (listener == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastReport >= INTERVAL_NANOS) {
            lastReport = now;
            report(done, now);
        }
    }

    /** Reports the end of the phase. */
    void finish(long done) {
        if (listener != null) {
            report(done, System.nanoTime());
        }
    }

    private void report(long done, long now) {
        TokenizerProgress p = new TokenizerProgress();
        p.phase = phase;
        p.unit = unit;
        p.done = done;
        p.total = total;
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        p.rate = done / seconds;
        p.etaMillis = total < 0 || p.rate <= 0 ? -1 : (long) (Math.max(0, total - done) / p.rate * 1000);
        listener.progress(p);
    }
}

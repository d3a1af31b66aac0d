package org.trafficllm.api.tokenizer.dto;

import org.osgi.dto.DTO;

/** One progress report of a tokenizer job. */
public class TokenizerProgress extends DTO {
    /** {@code read}, {@code segment}, {@code merge}, {@code write} or {@code measure}. */
    public String phase;
    public long done;
    /** -1 when unknown (a corpus read as a stream). */
    public long total;
    /** What {@link #done} counts: {@code texts}, {@code words}, {@code merges}. */
    public String unit;
    /** Units per second since the phase started. */
    public double rate;
    /** Estimated milliseconds left in the phase; -1 when unknown. */
    public long etaMillis;
}

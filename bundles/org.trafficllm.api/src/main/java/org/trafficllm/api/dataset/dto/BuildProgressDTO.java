package org.trafficllm.api.dataset.dto;

import org.osgi.dto.DTO;

/** Progress of a build phase. */
public class BuildProgressDTO extends DTO {
    /** {@code read}, {@code split} or {@code write}. */
    public String phase;
    /** Work done in this phase. */
    public long done;
    /** Work in this phase, or -1 when not known. */
    public long total;
    /** The unit of {@code done} and {@code total}: files, bytes, records, samples. */
    public String unit;
    /** Samples delivered so far. */
    public long samples;
    /** Units per second since the phase started. */
    public double ratePerSecond;
    /** Estimated seconds left in this phase, or -1 when not known. */
    public long etaSeconds;
}

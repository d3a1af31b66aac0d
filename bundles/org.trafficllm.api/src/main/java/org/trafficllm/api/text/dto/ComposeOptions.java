package org.trafficllm.api.text.dto;

import org.osgi.dto.DTO;

/** How a compose session fills what the text does not say. */
public class ComposeOptions extends DTO {
    /**
     * Time of the first frame, nanoseconds since the epoch, when the text carries
     * only relative times (or masked absolute ones).
     */
    public long startTimestampNanos;
}

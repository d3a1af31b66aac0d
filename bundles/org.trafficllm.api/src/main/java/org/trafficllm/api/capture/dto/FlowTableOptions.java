package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** How a flow table assembles flows. */
public class FlowTableOptions extends DTO {
    /** Packets kept (detached) per flow for renderers. */
    public int packetsPerFlow = 10;
    /** A flow without packets for this long ends. */
    public long idleTimeoutMillis = 120_000;
    /**
     * After both FINs or a RST, packets of the same connection arriving within
     * this time (retransmissions, the last ACK) still count to the ended flow; a
     * new SYN starts a new flow at once.
     */
    public long closeLingerMillis = 2_000;
    /** Open flows kept at most; the least recently seen is evicted beyond that. */
    public int maxFlows = 1_000_000;
}

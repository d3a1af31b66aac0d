package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** Counters of a flow table. */
public class FlowTableStatsDTO extends DTO {
    /** Packets offered to the table. */
    public long packets;
    /** Packets without IP, or IP fragments after the first, that no flow took. */
    public long ignoredPackets;
    /** Flows created. */
    public long flowsCreated;
    /** Flows handed to the handler. */
    public long flowsEnded;
    /** Flows open now. */
    public long flowsOpen;
}

package org.trafficllm.api.capture;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.capture.dto.FlowTableStatsDTO;

/**
 * Assembles packets into bidirectional flows and hands each finished flow to a
 * {@link FlowHandler}. Time is packet time: idle flows expire when a later packet
 * arrives, when {@link #expire(long)} is called (live captures), or on
 * {@link #flush()}. Not thread safe: feed it from one thread.
 */
@ProviderType
public interface FlowTable extends PacketHandler, AutoCloseable {

    /** Adds one packet; packets without an IP header are counted and ignored. */
    @Override
    void packet(PacketView packet);

    /**
     * The id ({@link FlowView#id()}) of the flow the last packet joined, or -1 when
     * the table ignored it; lets a caller tie per-packet samples to their flow.
     */
    long lastFlowId();

    /** Ends every flow idle at {@code nowNanos}; for live captures driven by a clock. */
    void expire(long nowNanos);

    /** Ends every open flow with {@link FlowEnd#END_OF_CAPTURE}. */
    void flush();

    /** Counters so far. */
    FlowTableStatsDTO stats();

    /** Same as {@link #flush()}. */
    @Override
    void close();
}

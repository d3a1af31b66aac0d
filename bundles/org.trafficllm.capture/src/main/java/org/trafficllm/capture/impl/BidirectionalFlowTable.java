package org.trafficllm.capture.impl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.trafficllm.api.capture.FlowEnd;
import org.trafficllm.api.capture.FlowHandler;
import org.trafficllm.api.capture.FlowTable;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.capture.dto.FlowTableStatsDTO;

/**
 * Flows keyed by a direction-free 5-tuple (3-tuple for IP protocols without ports).
 *
 * <p>Open flows sit in an access-ordered map, so the least recently seen flow is
 * always first: idle expiry and eviction look only at the head. A TCP flow that
 * saw both FINs or a RST is "closing": for {@code closeLingerMillis} it still
 * takes the connection's stragglers (the last ACK, retransmissions), then it ends;
 * a SYN for the same ends ends it at once and opens a new flow. Later IP fragments
 * carry no ports: they join the flow of their first fragment by IP id.
 */
final class BidirectionalFlowTable implements FlowTable {
    private static final int MAX_FRAGMENT_SERIES = 4096;

    private final FlowHandler handler;
    private final int keep;
    private final long idleNanos;
    private final long lingerNanos;
    private final int maxFlows;
    private final FlowKey probe = new FlowKey();
    private final LinkedHashMap<FlowKey, FlowRecord> open = new LinkedHashMap<>(1024, 0.75f, true);
    private final ArrayDeque<FlowRecord> closing = new ArrayDeque<>();
    private final LinkedHashMap<FragmentSeries, FlowRecord> fragments = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<FragmentSeries, FlowRecord> eldest) {
            return size() > MAX_FRAGMENT_SERIES;
        }
    };
    private final FlowTableStatsDTO stats = new FlowTableStatsDTO();
    private long lastFlowId = -1;

    /** Identifies the fragments of one IP datagram: protocol, id and the addresses in packet order. */
    private record FragmentSeries(int protocol, long id, String addresses) {
        static FragmentSeries of(PacketView p) {
            int length = p.ipVersion() == 4 ? 4 : 16;
            String addresses = AddressText.ip(p.array(), p.sourceAddressOffset(), length) + '>'
                    + AddressText.ip(p.array(), p.destinationAddressOffset(), length);
            return new FragmentSeries(p.ipProtocol(), fragmentId(p), addresses);
        }
    }

    BidirectionalFlowTable(FlowTableOptions options, FlowHandler handler) {
        FlowTableOptions o = options == null ? new FlowTableOptions() : options;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.keep = Math.max(0, o.packetsPerFlow);
        this.idleNanos = o.idleTimeoutMillis > 0 ? o.idleTimeoutMillis * 1_000_000L : Long.MAX_VALUE;
        this.lingerNanos = Math.max(0, o.closeLingerMillis) * 1_000_000L;
        this.maxFlows = o.maxFlows > 0 ? o.maxFlows : Integer.MAX_VALUE;
    }

    @Override
    public void packet(PacketView p) {
        stats.packets++;
        long now = p.timestampNanos();
        expire(now);
        if (p.ipVersion() == 0) {
            ignore();
            return;
        }
        if (p.isFragment() && p.fragmentOffset() > 0) {
            addLaterFragment(p);
            return;
        }
        probe.set(p);
        FlowRecord flow = open.get(probe);
        if (flow != null && flow.isClosing() && (isOpeningSyn(p) || now - flow.closingSince() > lingerNanos)) {
            finish(flow, FlowEnd.TCP_CLOSE);
            flow = null;
        }
        if (flow == null) {
            flow = new FlowRecord(stats.flowsCreated++, probe.copy(), p);
            open.put(flow.key, flow);
            if (open.size() > maxFlows) {
                finish(open.values().iterator().next(), FlowEnd.EVICTED);
            }
        }
        boolean wasClosing = flow.isClosing();
        flow.add(p, flow.isClientSide(p), keep);
        if (!wasClosing && flow.isClosing()) {
            closing.add(flow);
        }
        if (p.isFragment()) {
            fragments.put(FragmentSeries.of(p), flow);
        }
        lastFlowId = flow.id();
    }

    private static boolean isOpeningSyn(PacketView p) {
        return p.tcpFlags() >= 0 && (p.tcpFlags() & 0x012) == 0x002;
    }

    private void addLaterFragment(PacketView p) {
        FlowRecord flow = fragments.get(FragmentSeries.of(p));
        if (flow == null || flow.isEnded()) {
            ignore();
            return;
        }
        flow.add(p, flow.isClientSide(p), keep);
        lastFlowId = flow.id();
    }

    private static long fragmentId(PacketView p) {
        if (p instanceof DissectedFrame) {
            return ((DissectedFrame) p).fragmentId();
        }
        return p.ipVersion() == 4 ? p.u16(p.networkOffset() + 4) : -1;
    }

    private void ignore() {
        stats.ignoredPackets++;
        lastFlowId = -1;
    }

    @Override
    public long lastFlowId() {
        return lastFlowId;
    }

    @Override
    public void expire(long nowNanos) {
        while (!closing.isEmpty()) {
            FlowRecord head = closing.peekFirst();
            if (!head.isEnded() && nowNanos - head.closingSince() <= lingerNanos) {
                break;
            }
            closing.pollFirst();
            if (!head.isEnded()) {
                finish(head, FlowEnd.TCP_CLOSE);
            }
        }
        Iterator<FlowRecord> eldest = open.values().iterator();
        while (eldest.hasNext()) {
            FlowRecord flow = eldest.next();
            if (nowNanos - flow.lastTimestampNanos() <= idleNanos) {
                break;
            }
            eldest.remove();
            end(flow, FlowEnd.IDLE_TIMEOUT);
            eldest = open.values().iterator();
        }
    }

    private void finish(FlowRecord flow, FlowEnd reason) {
        open.remove(flow.key);
        end(flow, reason);
    }

    private void end(FlowRecord flow, FlowEnd reason) {
        flow.end(reason);
        stats.flowsEnded++;
        handler.flow(flow);
    }

    @Override
    public void flush() {
        List<FlowRecord> remaining = new ArrayList<>(open.values());
        remaining.sort(Comparator.comparingLong(FlowRecord::id));
        open.clear();
        closing.clear();
        fragments.clear();
        for (FlowRecord flow : remaining) {
            end(flow, FlowEnd.END_OF_CAPTURE);
        }
    }

    @Override
    public FlowTableStatsDTO stats() {
        FlowTableStatsDTO copy = new FlowTableStatsDTO();
        copy.packets = stats.packets;
        copy.ignoredPackets = stats.ignoredPackets;
        copy.flowsCreated = stats.flowsCreated;
        copy.flowsEnded = stats.flowsEnded;
        copy.flowsOpen = open.size();
        return copy;
    }

    @Override
    public void close() {
        flush();
    }
}

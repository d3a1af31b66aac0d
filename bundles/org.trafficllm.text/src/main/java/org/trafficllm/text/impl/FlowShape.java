package org.trafficllm.text.impl;

import java.util.List;

import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;

/**
 * A flow's shape as a few {@code field: value} pairs: packets and wire bytes each way
 * (client first), the duration in seconds to the millisecond, and the payload sizes of
 * the first packets with their direction ({@code >} client to server, {@code <} back):
 * {@code flow.packets: 13 11, flow.bytes: 2345 2778, flow.duration: 1.520,
 * flow.payloads: >517 <1460 >0, }. These are the features flow classifiers (CICFlowMeter,
 * the ISCX VPN-nonVPN study) read; in flow bytes most of them sit past the context a
 * small model sees, or are not there at all (counts, directions, time). Only relative
 * time is written, so masking has nothing to hide here.
 */
final class FlowShape {
    static final String PACKETS = "flow.packets";
    static final String BYTES = "flow.bytes";
    static final String DURATION = "flow.duration";
    static final String PAYLOADS = "flow.payloads";

    private FlowShape() {
    }

    /** Appends the shape of {@code flow}, sizes of at most {@code packets} of its first packets, then {@code ", "}. */
    static void append(FlowView flow, int packets, StringBuilder out) {
        out.append(PACKETS).append(": ").append(flow.clientPackets()).append(' ').append(flow.serverPackets())
                .append(", ").append(BYTES).append(": ").append(flow.clientBytes()).append(' ')
                .append(flow.serverBytes()).append(", ").append(DURATION).append(": ");
        milliseconds(out, Math.max(0, flow.lastTimestampNanos() - flow.firstTimestampNanos()));
        out.append(", ").append(PAYLOADS).append(':');
        List<PacketView> kept = flow.firstPackets();
        int n = Math.min(packets, kept.size());
        for (int i = 0; i < n; i++) {
            PacketView p = kept.get(i);
            out.append(' ').append(flow.isFromClient(p) ? '>' : '<').append(payloadSize(p));
        }
        out.append(", ");
    }

    /**
     * What the packet carries above its transport header as the headers claim it (a
     * frame cut by the snap length still counts whole); without TCP or UDP (ESP, GRE,
     * fragments after the first) what IP carries; without IP the frame's length.
     */
    static int payloadSize(PacketView p) {
        if (p.payloadOffset() >= 0) {
            return Math.max(0, p.claimedPayloadLength());
        }
        if (p.ipVersion() != 0) {
            return Math.max(0, p.ipTotalLength() - p.ipHeaderLength());
        }
        return p.originalLength();
    }

    /** Seconds with three decimals, rounded to the nearest millisecond. */
    static void milliseconds(StringBuilder out, long nanos) {
        long ms = (nanos + 500_000L) / 1_000_000L;
        out.append(ms / 1000).append('.');
        long fraction = ms % 1000;
        if (fraction < 100) {
            out.append('0');
        }
        if (fraction < 10) {
            out.append('0');
        }
        out.append(fraction);
    }
}

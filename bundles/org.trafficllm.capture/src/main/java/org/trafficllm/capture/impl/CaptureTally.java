package org.trafficllm.capture.impl;

import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;

/** Adds one dissected frame to a capture summary's counters. */
final class CaptureTally {
    private CaptureTally() {
    }

    static void add(CaptureSummaryDTO summary, PacketView frame) {
        if (summary.packets == 0) {
            summary.firstTimestampNanos = frame.timestampNanos();
        }
        summary.packets++;
        summary.lastTimestampNanos = frame.timestampNanos();
        summary.capturedBytes += frame.captureLength();
        summary.wireBytes += frame.originalLength();
        if (frame.truncatedHeader() != null) {
            summary.truncatedPackets++;
        }
        if (frame.ipVersion() == 0) {
            summary.nonIpPackets++;
        }
    }
}

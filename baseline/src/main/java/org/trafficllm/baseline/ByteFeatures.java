package org.trafficllm.baseline;

import java.util.List;

/**
 * Fixed-width numeric features from the raw bytes of a traffic text, what byte-level
 * classifiers (DeepTraffic, the "first N bytes" baselines) use: for each of the
 * first {@code packets} packets, its first {@code bytes / packets} bytes (0–255) in
 * their own slots so a field keeps its column, then each packet's captured length
 * and the packet count. Absent bytes and packets are {@link Float#NaN}, which the
 * tree learners treat as missing rather than as zero. The flow text carries no
 * timestamps or directions, so inter-arrival times and directions are not features;
 * sizes and header fields (IP total length, flags) come through the bytes. When the
 * training texts carry flow fields ({@code flow-bytes-shape}: counts each way, duration,
 * directed payload sizes), their {@value FlowFields#SIZE} slots ({@link FlowFields})
 * follow.
 */
final class ByteFeatures {
    static final int MAX_PACKETS = 10;
    private final int packets;
    private final int width;
    private final boolean flowFields;

    private ByteFeatures(int packets, int width, boolean flowFields) {
        this.packets = packets;
        this.width = width;
        this.flowFields = flowFields;
    }

    /**
     * Sizes the layout to the training texts: as many packet slots as the longest
     * training flow has (at most {@value #MAX_PACKETS}), sharing the byte budget (0: no
     * byte columns, only the lengths, the count and any flow fields).
     */
    static ByteFeatures fitted(List<TrafficSample> train, int byteBudget) {
        int most = 1;
        boolean flowFields = false;
        for (TrafficSample sample : train) {
            most = Math.max(most, Math.min(MAX_PACKETS, TrafficBytes.segments(sample.traffic()).size()));
            flowFields |= FlowFields.present(sample.traffic());
        }
        return new ByteFeatures(most, byteBudget == 0 ? 0 : Math.max(1, byteBudget / most), flowFields);
    }

    int size() {
        return packets * width + packets + 1 + (flowFields ? FlowFields.SIZE : 0);
    }

    /** Whether the flow fields' slots follow the bytes. */
    boolean flowFields() {
        return flowFields;
    }

    int packets() {
        return packets;
    }

    int width() {
        return width;
    }

    /** Writes one sample's features into {@code row} starting at {@code offset}. */
    void extract(String traffic, float[] row, int offset) {
        List<byte[]> segments = TrafficBytes.segments(traffic);
        int lengths = offset + packets * width;
        for (int p = 0; p < packets; p++) {
            byte[] segment = p < segments.size() ? segments.get(p) : null;
            int base = offset + p * width;
            for (int i = 0; i < width; i++) {
                row[base + i] = segment != null && i < segment.length ? segment[i] & 0xff : Float.NaN;
            }
            row[lengths + p] = segment == null ? Float.NaN : segment.length;
        }
        row[lengths + packets] = segments.size();
        if (flowFields) {
            FlowFields.extract(traffic, row, lengths + packets + 1);
        }
    }
}

package org.trafficllm.baseline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Recognises samples whose traffic carries no readable content: every packet is
 * bytes that look uniformly random (ciphertext, or compressed data), apart from the
 * TLS record headers in front of encrypted records. Two such samples differ only in
 * what a classifier can see around the random bytes: the packet count, each packet's
 * length and its TLS record headers. That is a sample's <em>signature</em>; samples
 * of different classes with one signature can be told apart only by their random
 * bytes, which, if they are what they look like, tell nothing of the class.
 * <p>
 * A packet looks random when at least {@code minBytes} of its bytes remain after
 * the record headers and their byte entropy is within {@code margin} bits of what
 * that many uniformly drawn bytes give on average (below 8 bits per byte: the
 * plug-in estimate's bias). Shorter packets are never judged random, so a sample
 * with one is not opaque.
 */
final class OpaqueSamples {
    static final int MIN_BYTES = 256;
    static final double MARGIN = 0.2;
    private static final int TLS_HEADER = 5;
    private static final int TLS_APPLICATION_DATA = 0x17;
    private final int minBytes;
    private final double margin;
    /** {@link #uniformEntropy} less the margin, by packet length. */
    private final Map<Integer, Double> thresholds = new HashMap<>();

    OpaqueSamples(int minBytes, double margin) {
        if (minBytes < 16) {
            throw new IllegalArgumentException("minBytes " + minBytes + " < 16");
        }
        this.minBytes = minBytes;
        this.margin = margin;
    }

    /** The entropy a packet of {@code n} bytes must reach, computed once per length. */
    private double threshold(int n) {
        return thresholds.computeIfAbsent(n, k -> uniformEntropy(k) - margin);
    }

    int minBytes() {
        return minBytes;
    }

    /** The sample's signature if every packet of it looks random, else {@code null} (the sample can be read). */
    String signature(String traffic) {
        List<byte[]> packets = TrafficBytes.segments(traffic);
        StringJoiner signature = new StringJoiner(" | ");
        for (byte[] packet : packets) {
            String part = packetSignature(packet);
            if (part == null) {
                return null;
            }
            signature.add(part);
        }
        return packets.size() + (packets.size() == 1 ? " packet: " : " packets: ") + signature;
    }

    /** "N bytes" and the TLS record headers seen, or {@code null} when the packet does not look random. */
    private String packetSignature(byte[] packet) {
        StringBuilder headers = new StringBuilder();
        boolean[] header = new boolean[packet.length];
        int at = 0;
        // Encrypted TLS records one after another: only their 5-byte headers are clear.
        while (at + TLS_HEADER <= packet.length && isApplicationDataHeader(packet, at)) {
            int length = (packet[at + 3] & 0xff) << 8 | packet[at + 4] & 0xff;
            for (int i = at; i < at + TLS_HEADER; i++) {
                header[i] = true;
            }
            headers.append(headers.length() == 0 ? ", TLS records " : " ").append(String.format("%02x%02x%02x:%d",
                    packet[at] & 0xff, packet[at + 1] & 0xff, packet[at + 2] & 0xff, length));
            at += TLS_HEADER + length;
        }
        long[] counts = new long[256];
        int n = 0;
        for (int i = 0; i < packet.length; i++) {
            if (!header[i]) {
                counts[packet[i] & 0xff]++;
                n++;
            }
        }
        if (n < minBytes || entropy(counts, n) < threshold(n)) {
            return null;
        }
        return packet.length + " bytes" + headers;
    }

    private static boolean isApplicationDataHeader(byte[] b, int at) {
        return (b[at] & 0xff) == TLS_APPLICATION_DATA && b[at + 1] == 3 && (b[at + 2] & 0xff) <= 4;
    }

    /** Plug-in byte entropy in bits. */
    static double entropy(long[] counts, int n) {
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(2);
    }

    /**
     * The plug-in entropy n uniformly drawn bytes give on average, exactly: each of
     * the 256 values occurs k times with probability Binomial(n, 1/256), and
     * contributes {@code -(k/n) log2(k/n)} (the first-order correction
     * {@code 8 - 255 / (2 n ln 2)} is off by a tenth of a bit near n = 256).
     */
    static double uniformEntropy(int n) {
        double p = 1.0 / 256;
        double logPmf = n * Math.log1p(-p); // k = 0
        double expected = 0;
        for (int k = 1; k <= n; k++) {
            logPmf += Math.log((double) (n - k + 1) / k) + Math.log(p) - Math.log1p(-p);
            double pmf = Math.exp(logPmf);
            if (pmf < 1e-300 && k > n * p) {
                break;
            }
            double q = (double) k / n;
            expected -= pmf * q * Math.log(q);
        }
        return 256 * expected / Math.log(2);
    }
}

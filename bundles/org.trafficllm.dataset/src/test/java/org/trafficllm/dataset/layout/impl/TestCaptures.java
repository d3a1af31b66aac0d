package org.trafficllm.dataset.layout.impl;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.PcapWriter;

/** Small Ethernet captures the layout tests write themselves, frame by frame. */
final class TestCaptures {
    static final String SOURCE_MAC = "00:01:02:03:04:06";
    static final String DESTINATION_MAC = "00:01:02:03:04:05";

    private TestCaptures() {
    }

    /** Writes {@code frames} 1 ms apart, from 2023-11-14 22:13:20 UTC. */
    static void write(CaptureService captures, Path file, byte[]... frames) throws CaptureException {
        try (PcapWriter writer = captures.createPcap(file, 1, 65_535)) {
            long time = 1_700_000_000_000_000_000L;
            for (byte[] frame : frames) {
                writer.write(time, frame, 0, frame.length, frame.length);
                time += 1_000_000;
            }
        }
    }

    /** An Ethernet/IPv4/UDP frame from 10.0.0.{@code a} to 10.0.0.{@code b} with a 4-byte payload. */
    static byte[] udp(int a, int sport, int b, int dport) {
        ByteArrayOutputStream out = ipv4(17, 32, a, b);
        out.writeBytes(new byte[] {(byte) (sport >> 8), (byte) sport, (byte) (dport >> 8), (byte) dport, 0, 12, 0x56,
            0x78});
        out.writeBytes(new byte[] {1, 2, 3, 4});
        return out.toByteArray();
    }

    /** An ICMP echo request from 10.0.0.{@code a} to 10.0.0.{@code b}. */
    static byte[] icmpEcho(int a, int b) {
        ByteArrayOutputStream out = ipv4(1, 28, a, b);
        out.writeBytes(new byte[] {8, 0, 0x12, 0x34, 0, 1, 0, 1});
        return out.toByteArray();
    }

    static byte[] arp() {
        byte[] frame = new byte[42];
        Arrays.fill(frame, 0, 6, (byte) 0xff);
        frame[12] = 0x08;
        frame[13] = 0x06;
        return frame;
    }

    private static ByteArrayOutputStream ipv4(int protocol, int length, int a, int b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HexFormat.ofDelimiter(":").parseHex(DESTINATION_MAC));
        out.writeBytes(HexFormat.ofDelimiter(":").parseHex(SOURCE_MAC));
        out.writeBytes(new byte[] {0x08, 0x00});
        out.writeBytes(new byte[] {0x45, 0, 0, (byte) length, 0, 1, 0, 0, 64, (byte) protocol, 0x12, 0x34, 10, 0, 0,
            (byte) a, 10, 0, 0, (byte) b});
        return out;
    }
}

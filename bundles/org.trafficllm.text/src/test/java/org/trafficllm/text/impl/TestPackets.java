package org.trafficllm.text.impl;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.PcapWriter;
import org.trafficllm.capture.impl.PcapCaptureService;

/**
 * Packets made in the test: frames are written byte by byte into a pcap and read
 * back through the real capture service, so the renderers see real dissections.
 */
final class TestPackets {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TestPackets bytes(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    TestPackets u16(int v) {
        return bytes(v >> 8, v);
    }

    TestPackets u32(long v) {
        return bytes((int) (v >> 24), (int) (v >> 16), (int) (v >> 8), (int) v);
    }

    TestPackets zeros(int n) {
        return bytes(new int[n]);
    }

    /** Ethernet from 00:11:22:33:44:55 to 66:77:88:99:aa:bb. */
    TestPackets ethernet(int type) {
        return bytes(0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55).u16(type);
    }

    TestPackets ipv4(int protocol, int totalLength, int id, int src4, int dst4) {
        return bytes(0x45, 0x10).u16(totalLength).u16(id).u16(0x4000).bytes(64, protocol).u16(0xbeef)
                .bytes(192, 168, 0, src4, 192, 168, 0, dst4);
    }

    TestPackets tcp(int sport, int dport, long seq, long ack, int flags, int window) {
        return u16(sport).u16(dport).u32(seq).u32(ack).bytes(0x50, flags).u16(window).u16(0x1234).u16(0);
    }

    TestPackets udp(int sport, int dport, int length) {
        return u16(sport).u16(dport).u16(length).u16(0xabcd);
    }

    byte[] build() {
        byte[] b = out.toByteArray();
        out.reset();
        return b;
    }

    /** Writes the frames at 1 s + i ms and reads them back as detached views. */
    static List<PacketView> read(Path dir, byte[]... frames) throws Exception {
        PcapCaptureService service = new PcapCaptureService();
        Path file = Files.createTempFile(dir, "packets", ".pcap");
        try (PcapWriter writer = service.createPcap(file, 1, 65535)) {
            for (int i = 0; i < frames.length; i++) {
                writer.write(1_000_000_000L + i * 1_000_000L, frames[i], 0, frames[i].length, frames[i].length);
            }
        }
        return readAll(file);
    }

    static List<PacketView> readAll(Path file) throws CaptureException {
        List<PacketView> packets = new ArrayList<>();
        new PcapCaptureService().read(file, p -> packets.add(p.detach()));
        return packets;
    }
}

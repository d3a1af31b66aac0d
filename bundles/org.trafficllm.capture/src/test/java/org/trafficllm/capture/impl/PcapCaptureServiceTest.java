package org.trafficllm.capture.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.PcapWriter;
import org.trafficllm.api.capture.dto.CaptureProgressDTO;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;
import org.trafficllm.api.capture.dto.FrameDTO;
import org.trafficllm.api.capture.dto.ReadOptions;

class PcapCaptureServiceTest {
    private final PcapCaptureService service = new PcapCaptureService();

    @TempDir
    Path dir;

    private List<PacketView> readAll(Path file) throws CaptureException {
        List<PacketView> packets = new ArrayList<>();
        service.read(file, p -> packets.add(p.detach()));
        return packets;
    }

    private static byte[] udpFrame(int sport, int payload) {
        return TestFrames.frame().ethernet(0x0800).ipv4(17, 28 + payload, 0).udp(sport, 53, 8 + payload).zeros(payload)
                .build();
    }

    private Path writeThree(String name) throws CaptureException {
        Path file = dir.resolve(name);
        try (PcapWriter writer = service.createPcap(file, 1, 65535)) {
            for (int i = 0; i < 3; i++) {
                writer.write(1_700_000_000_123_456_000L + i * 1_000_000L, udpFrame(1000 + i, 100), 0, 142, 142);
            }
        }
        return file;
    }

    @Test
    void readsWhatItWrote() throws Exception {
        Path file = dir.resolve("three.pcap");
        try (PcapWriter writer = service.createPcap(file, 1, 64)) {
            writer.write(1_700_000_000_123_456_789L, udpFrame(1000, 100), 0, 142, 142);
            FrameDTO frame = new FrameDTO();
            frame.timestampNanos = 1_700_000_001_000_001_000L;
            frame.data = udpFrame(1001, 0);
            writer.write(frame);
            assertThat(writer.packetsWritten()).isEqualTo(2);
        }
        List<PacketView> packets = readAll(file);
        assertThat(packets).hasSize(2);
        PacketView first = packets.get(0);
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.captureLength()).isEqualTo(64);
        assertThat(first.originalLength()).isEqualTo(142);
        // pcap keeps microseconds.
        assertThat(first.timestampNanos()).isEqualTo(1_700_000_000_123_456_000L);
        assertThat(first.sourcePort()).isEqualTo(1000);
        assertThat(first.claimedPayloadLength()).isEqualTo(100);
        assertThat(Arrays.copyOfRange(first.array(), first.offset(), first.offset() + 64))
                .isEqualTo(Arrays.copyOf(udpFrame(1000, 100), 64));
        assertThat(packets.get(1).sourcePort()).isEqualTo(1001);
        assertThat(packets.get(1).timestampNanos()).isEqualTo(1_700_000_001_000_001_000L);
    }

    @Test
    void matchesTsharkOnARealPcap() throws Exception {
        Path file = TestData.file("ustc-tfc2016/pcap/Benign/Facetime.pcap");
        assertMatchesTshark(file);
    }

    @Test
    void matchesTsharkOnARealPcapng() throws Exception {
        Path file = TestData.file("ndpi/pcap/quic-33.pcapng");
        assertMatchesTshark(file);
    }

    private void assertMatchesTshark(Path file) throws Exception {
        List<String[]> expected = Tshark.fields(file, null, "frame.number", "frame.cap_len", "frame.len",
                "frame.time_epoch", "tcp.srcport", "udp.srcport");
        List<String[]> actual = new ArrayList<>();
        CaptureSummaryDTO summary = service.read(file, p -> actual.add(new String[] {
            Long.toString(p.number()), Integer.toString(p.captureLength()), Integer.toString(p.originalLength()),
            String.format("%d.%09d", Math.floorDiv(p.timestampNanos(), 1_000_000_000L),
                    Math.floorMod(p.timestampNanos(), 1_000_000_000L)),
            p.ipProtocol() == 6 && p.sourcePort() >= 0 ? Integer.toString(p.sourcePort()) : "",
            p.ipProtocol() == 17 && p.sourcePort() >= 0 ? Integer.toString(p.sourcePort()) : ""}));
        assertThat(expected).isNotEmpty();
        assertThat(summary.packets).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("packet %d", i + 1).containsExactly(expected.get(i));
        }
    }

    @Test
    void truncatedRecordNamesFileBytePacketAndKeepsEarlierPackets() throws Exception {
        Path file = writeThree("cut.pcap");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        List<PacketView> seen = new ArrayList<>();
        long third = 24 + 2 * (16 + 142);
        assertThatThrownBy(() -> service.read(file, p -> seen.add(p.detach())))
                .isInstanceOf(CaptureException.class)
                .hasMessage(file + ": truncated record at byte " + third + " (packet 3): 42 of 142 bytes")
                .satisfies(e -> {
                    assertThat(((CaptureException) e).packetsRead()).isEqualTo(2);
                    assertThat(((CaptureException) e).byteOffset()).isEqualTo(third);
                });
        assertThat(seen).hasSize(2);
    }

    @Test
    void truncatedRecordHeader() throws Exception {
        Path file = writeThree("cut-header.pcap");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, 24 + 16 + 142 + 5));
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(CaptureException.class)
                .hasMessage(file + ": truncated record header at byte 182 (packet 2): 5 of 16 bytes");
    }

    @Test
    void absurdRecordLengthIsReportedNotAllocated() throws Exception {
        Path file = writeThree("garbage.pcap");
        byte[] bytes = Files.readAllBytes(file);
        int second = 24 + 16 + 142;
        bytes[second + 8] = (byte) 0xff;
        bytes[second + 9] = (byte) 0xff;
        bytes[second + 10] = (byte) 0xff;
        bytes[second + 11] = (byte) 0x7f;
        Files.write(file, bytes);
        List<PacketView> seen = new ArrayList<>();
        assertThatThrownBy(() -> service.read(file, p -> seen.add(p.detach()))).isInstanceOf(CaptureException.class)
                .hasMessage(file + ": invalid record length 2147483647 at byte 182 (packet 2)");
        assertThat(seen).hasSize(1);
    }

    @Test
    void truncatedPcapngNamesTheBlock() throws Exception {
        Path source = TestData.file("ndpi/pcap/quic-33.pcapng");
        byte[] bytes = Files.readAllBytes(source);
        Path file = dir.resolve("cut.pcapng");
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 7));
        List<PacketView> seen = new ArrayList<>();
        assertThatThrownBy(() -> service.read(file, p -> seen.add(p.detach()))).isInstanceOf(CaptureException.class)
                .hasMessageStartingWith(file + ": truncated block at byte ")
                .hasMessageContaining("(packet " + (seen.size() + 1) + ")")
                .satisfies(e -> assertThat(((CaptureException) e).packetsRead()).isEqualTo(seen.size()));
        assertThat(seen).isNotEmpty();
    }

    @Test
    void badFilesFailWithOneLineNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.pcap");
        assertThatThrownBy(() -> readAll(missing)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> readAll(dir)).hasMessage(dir + ": is a directory, not a capture file");
        Path empty = Files.createFile(dir.resolve("empty.pcap"));
        assertThatThrownBy(() -> readAll(empty)).hasMessage(empty + ": empty file (0 bytes)");
        Path text = Files.writeString(dir.resolve("notes.pcap"), "hello world");
        assertThatThrownBy(() -> readAll(text)).hasMessage(text + ": not a pcap or pcapng file (starts with 0x68656c6c)");
        Path gz = dir.resolve("three.pcap.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(writeThree("plain.pcap")));
        }
        assertThatThrownBy(() -> readAll(gz)).hasMessage(gz + ": gzip-compressed; decompress it first");
        Path headerOnly = dir.resolve("header.pcap");
        Files.write(headerOnly, Arrays.copyOf(Files.readAllBytes(writeThree("full.pcap")), 10));
        assertThatThrownBy(() -> readAll(headerOnly)).isInstanceOf(CaptureException.class)
                .hasMessageStartingWith(headerOnly + ": cannot open: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unsupportedLinkTypeIsRefused() throws Exception {
        Path file = dir.resolve("user0.pcap");
        try (PcapWriter writer = service.createPcap(file, 147, 65535)) {
            writer.write(0, new byte[] {1, 2, 3}, 0, 3, 3);
        }
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(CaptureException.class)
                .hasMessage(file + ": unsupported link type 147 (LINKTYPE_147)");
    }

    @Test
    void filterLimitAndProgress() throws Exception {
        Path file = TestData.file("ustc-tfc2016/pcap/Benign/Facetime.pcap");
        ReadOptions options = new ReadOptions();
        options.filter = "udp";
        List<PacketView> udp = new ArrayList<>();
        List<CaptureProgressDTO> progress = new ArrayList<>();
        CaptureSummaryDTO summary = service.read(file, options, p -> udp.add(p.detach()), progress::add);
        assertThat(udp).isNotEmpty().allSatisfy(p -> assertThat(p.ipProtocol()).isEqualTo(17));
        assertThat(summary.packets).isEqualTo(udp.size());
        assertThat(progress).isNotEmpty();
        CaptureProgressDTO last = progress.get(progress.size() - 1);
        assertThat(last.bytesDone).isEqualTo(last.bytesTotal).isEqualTo(Files.size(file));
        assertThat(last.packets).isEqualTo(udp.size());

        options.filter = null;
        options.maxPackets = 10;
        assertThat(service.read(file, options, p -> { }, null).packets).isEqualTo(10);

        options.filter = "no such thing";
        assertThatThrownBy(() -> service.read(file, options, p -> { }, null)).isInstanceOf(CaptureException.class)
                .hasMessageStartingWith(file + ": invalid filter 'no such thing': ");
    }

    @Test
    void listsTheLoopbackInterface() throws Exception {
        assertThat(service.interfaces()).anySatisfy(i -> {
            assertThat(i.name).isEqualTo("lo");
            assertThat(i.loopback).isTrue();
            assertThat(i.addresses).contains("127.0.0.1");
        });
    }

    @Test
    void writerRefusesAnotherLinkType() throws IOException {
        try (PcapWriter writer = service.createPcap(dir.resolve("x.pcap"), 1, 100)) {
            FrameDTO frame = new FrameDTO();
            frame.linkType = 101;
            frame.data = new byte[20];
            assertThatThrownBy(() -> writer.write(frame)).hasMessageContaining("has link type 101, the file 1");
        }
    }
}

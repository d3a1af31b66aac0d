package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.PcapWriter;
import org.trafficllm.api.capture.dto.FrameDTO;
import org.trafficllm.api.capture.dto.ReadOptions;
import org.trafficllm.api.text.ComposeSession;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.dto.ComposeOptions;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;

/** Real packets → text → composed frames → pcap → read and rendered again, and checked by tshark. */
class ComposerRoundTripTest {
    /**
     * Fields that depend on the packets around a packet (stream state, times
     * relative to skipped frames, options the text does not carry) or that the
     * composer recomputes (checksums: tshark verifies those instead).
     */
    private static final Set<String> CONTEXTUAL = Set.of("frame.number", "frame.time_delta", "frame.time_relative",
            "tcp.stream", "udp.stream", "tcp.seq", "tcp.nxtseq", "tcp.ack", "tcp.window_size",
            "tcp.window_size_scalefactor", "tcp.time_relative", "tcp.time_delta", "tcp.analysis.bytes_in_flight",
            "tcp.analysis.push_bytes_sent", "ip.checksum", "tcp.checksum", "udp.checksum", "frame.protocols");

    @TempDir
    Path dir;

    private final PcapCaptureService captures = new PcapCaptureService();

    private List<String> render(Path file, int max, RenderOptions options) throws Exception {
        PacketRenderSession session = new TrafficWordsRenderer().open(options);
        List<String> texts = new ArrayList<>();
        ReadOptions read = new ReadOptions();
        read.maxPackets = max;
        StringBuilder sb = new StringBuilder();
        captures.read(file, read, p -> {
            sb.setLength(0);
            if (session.render(p, sb)) {
                texts.add(sb.toString());
            }
        }, null);
        return texts;
    }

    private Path write(List<FrameDTO> frames, String name) throws Exception {
        Path out = dir.resolve(name);
        try (PcapWriter writer = captures.createPcap(out, 1, 65535)) {
            for (FrameDTO frame : frames) {
                writer.write(frame);
            }
        }
        return out;
    }

    @Test
    void trafficWordsComposeToFramesThatRenderTheSame() throws Exception {
        for (String capture : List.of("ndpi/pcap/1kxun.pcap", "ustc-tfc2016/pcap/Benign/Facetime.pcap")) {
            List<String> texts = render(TestData.file(capture), 600, new RenderOptions());
            ComposeSession composer = new TrafficWordsComposer().open(new ComposeOptions());
            List<FrameDTO> frames = new ArrayList<>();
            for (String text : texts) {
                frames.addAll(composer.compose(text));
            }
            Path pcap = write(frames, "composed.pcap");
            List<String> again = new ArrayList<>();
            PacketRenderSession session = new TrafficWordsRenderer().open(new RenderOptions());
            for (PacketView p : TestPackets.readAll(pcap)) {
                StringBuilder sb = new StringBuilder();
                assertThat(session.render(p, sb)).isTrue();
                again.add(sb.toString());
            }
            assertThat(again).hasSameSizeAs(texts);
            for (int i = 0; i < texts.size(); i++) {
                Map<String, String> original = TrafficWordsFields.parse(texts.get(i));
                Map<String, String> composed = TrafficWordsFields.parse(again.get(i));
                original.keySet().removeAll(CONTEXTUAL);
                composed.keySet().removeAll(CONTEXTUAL);
                assertThat(composed).as(capture + " text " + i).isEqualTo(original);
            }
            // Payload past the 1000-character cut is zeros: application messages may be reported cut.
            assertTsharkAcceptsWithGoodChecksums(pcap, frames.size(), true);
        }
    }

    @Test
    void maskedTextsComposeWithConcreteIdentifiers() throws Exception {
        RenderOptions masked = new RenderOptions();
        masked.mask = EnumSet.allOf(MaskedIdentifier.class);
        List<String> texts = render(TestData.file("ndpi/pcap/1kxun.pcap"), 200, masked);
        ComposeOptions options = new ComposeOptions();
        options.startTimestampNanos = 1_700_000_000_000_000_000L;
        ComposeSession composer = new TrafficWordsComposer().open(options);
        List<FrameDTO> frames = new ArrayList<>();
        for (String text : texts) {
            frames.addAll(composer.compose(text));
        }
        assertThat(frames.get(0).timestampNanos).isEqualTo(options.startTimestampNanos);
        List<PacketView> packets = TestPackets.readAll(write(frames, "masked.pcap"));
        PacketView first = packets.get(0);
        assertThat(first.u8(first.sourceAddressOffset())).isEqualTo(10);
        assertThat(first.u32(first.sourceAddressOffset()) & 0xffffff).isEqualTo(1);
        assertThat(first.sourcePort()).isEqualTo(20001);
        assertTsharkAcceptsWithGoodChecksums(dir.resolve("masked.pcap"), frames.size(), false);
    }

    @Test
    void flowBytesComposeToConsistentFrames() throws Exception {
        List<FlowView> flows = new ArrayList<>();
        new FlowAssemblyService(captures).readFlows(TestData.file("ndpi/pcap/1kxun.pcap"), null, null, flows::add);
        FlowRenderSession session = new FlowBytesRenderer().open(new RenderOptions());
        ComposeSession composer = new FlowBytesComposer().open(new ComposeOptions());
        List<FrameDTO> frames = new ArrayList<>();
        for (FlowView flow : flows.subList(0, 30)) {
            StringBuilder sb = new StringBuilder();
            session.render(flow, sb);
            List<FrameDTO> composed = composer.compose(sb);
            assertThat(composed).hasSize(Math.min(10, flow.firstPackets().size()));
            PacketView original = flow.firstPackets().get(0);
            byte[] bytes = composed.get(0).data;
            assertThat(bytes.length).isEqualTo(Math.min(128, original.captureLength()));
            // Addresses and ports survive unchanged.
            for (int i = original.sourceAddressOffset(); i < original.destinationAddressOffset() + 4; i++) {
                assertThat(bytes[i - original.offset()]).isEqualTo(original.array()[i]);
            }
            frames.addAll(composed);
        }
        // 128 bytes end many application messages early: only those may be reported cut, never IP, TCP or UDP.
        assertTsharkAcceptsWithGoodChecksums(write(frames, "flows.pcap"), frames.size(), true);
    }

    @Test
    void anIcmpErrorComposesAsTheUdpPacketItQuotes() throws Exception {
        String text = render(TestData.file("ustc-tfc2016/pcap/Malware/Tinba.pcap"), 200, new RenderOptions()).stream()
                .filter(t -> t.contains(":icmp:ip:udp")).findFirst().orElseThrow();
        Map<String, String> fields = TrafficWordsFields.parse(text);
        List<FrameDTO> frames = new TrafficWordsComposer().open(null).compose(text);
        PacketView p = TestPackets.readAll(write(frames, "icmp.pcap")).get(0);
        assertThat(p.ipProtocol()).isEqualTo(17);
        assertThat(p.sourcePort()).isEqualTo(Integer.parseInt(fields.get("udp.srcport")));
        String quotedSource = fields.get("ip.src").split(",")[1];
        assertThat(String.format("%d.%d.%d.%d", p.u8(p.sourceAddressOffset()), p.u8(p.sourceAddressOffset() + 1),
                p.u8(p.sourceAddressOffset() + 2), p.u8(p.sourceAddressOffset() + 3))).isEqualTo(quotedSource);
    }

    @Test
    void unreadableTextNamesFieldAndPosition() {
        ComposeSession composer = new TrafficWordsComposer().open(null);
        assertThatThrownBy(() -> composer.compose("frame.encap_type: 1, ip.version: 4, tcp.srcport: banana, tcp.dstport: 80"))
                .isInstanceOf(TextFormatException.class)
                .hasMessage("tcp.srcport at character 36: not a number: \"banana\"")
                .satisfies(e -> assertThat(((TextFormatException) e).position()).isEqualTo(36));
        assertThatThrownBy(() -> composer.compose("frame.encap_type: 1, frame.len: 60"))
                .hasMessageContaining("without TCP or UDP fields");
        assertThatThrownBy(() -> composer.compose("hello")).hasMessage("no traffic-words field found");
        assertThatThrownBy(() -> new FlowBytesComposer().open(null).compose("<pck>00112g"))
                .hasMessage("flow bytes: not hex at character 10: 'g'");
    }

    /**
     * tshark reads the file to the end, every checksum it checks is good, and
     * nothing is malformed (or, with {@code cutApplications}, only an application
     * message above TCP/UDP, cut short by the text's limits).
     */
    private static void assertTsharkAcceptsWithGoodChecksums(Path pcap, int frames, boolean cutApplications)
            throws Exception {
        Path out = Files.createTempFile("tshark", ".tsv");
        Path err = Files.createTempFile("tshark", ".err");
        try {
            Process process = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                    "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields",
                    "-e", "frame.number", "-e", "ip.checksum.status", "-e", "tcp.checksum.status",
                    "-e", "udp.checksum.status", "-e", "_ws.malformed", "-e", "frame.protocols")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(Files.readString(err).replace("Running as user \"root\" and group \"root\". This could be dangerous.", "")
                    .trim()).isEmpty();
            List<String> rows = Files.readAllLines(out, StandardCharsets.UTF_8);
            assertThat(rows).hasSize(frames);
            for (String row : rows) {
                String[] f = row.split("\t", -1);
                assertThat(f[1]).as(row).isIn("1", "");
                assertThat(f[2]).as(row).isIn("1", "");
                assertThat(f[3]).as(row).isIn("1", "");
                if (cutApplications && !f[4].isEmpty()) {
                    // tshark stops at the malformed layer: it must be one above TCP or UDP.
                    assertThat(f[5]).as("malformed below the application: " + row).matches(".*:(tcp|udp):.+");
                } else {
                    assertThat(f[4]).as("malformed: " + row).isEmpty();
                }
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

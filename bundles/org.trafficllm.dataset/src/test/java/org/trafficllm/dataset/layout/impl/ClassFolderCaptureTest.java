package org.trafficllm.dataset.layout.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.trafficllm.dataset.layout.impl.TestCaptures.arp;
import static org.trafficllm.dataset.layout.impl.TestCaptures.udp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;
import org.trafficllm.dataset.impl.SharedData;
import org.trafficllm.text.impl.FlowBytesRenderer;
import org.trafficllm.text.impl.TrafficWordsRenderer;

/**
 * The class-folder layout over the real capture reader and the text bundle's real
 * renderers, on captures this test writes and on the shared USTC-TFC2016 captures:
 * grouping, labels, damage handling, and the rendered text itself, masked and not.
 */
class ClassFolderCaptureTest {
    private static final Pattern FRAME_NUMBER = Pattern.compile("frame\\.number: (\\d+),");
    private static final Pattern MAC = Pattern.compile("MAC_\\d+");
    private static final Pattern IPS = Pattern.compile("IP_\\d+(,IP_\\d+)*");
    private static final Pattern PORT = Pattern.compile("PORT_\\d+");

    private final PcapCaptureService captures = new PcapCaptureService();
    private final ClassFolderLayout layout = BoundRenderers.bind(new ClassFolderLayout(captures,
            new FlowAssemblyService(captures), new TrafficWordsRenderer(), new FlowBytesRenderer()));

    @TempDir
    Path root;

    @Test
    void everyTcpOrUdpPacketIsASampleGroupedByItsFlowInBothDirections() throws Exception {
        writeTwoClasses();

        RecordingContext context = new RecordingContext(root, Granularity.PACKET);
        layout.read(context);

        assertThat(context.count("A")).isEqualTo(5);
        assertThat(context.count("B")).isEqualTo(2);
        Map<String, List<Long>> groups = context.samples.stream().collect(Collectors.groupingBy(
                RecordingContext.Sample::group, Collectors.mapping(s -> number(s.text()), Collectors.toList())));
        assertThat(groups.values()).containsExactlyInAnyOrder(List.of(1L, 2L, 4L), List.of(5L, 6L), List.of(1L, 2L));
        assertThat(groups.keySet()).allSatisfy(group -> assertThat(group).matches("(A/one|B/two)\\.pcap 17 .*"));
        assertThat(context.skips).isEmpty();
        assertThat(context.lastDone).isEqualTo(context.lastTotal).isPositive();

        // one render session per capture: streams, relative times and placeholders start again in B/two.pcap
        RecordingContext.Sample secondFlowOfA = context.samples.get(3);
        assertThat(secondFlowOfA.text()).contains("frame.number: 5,", "udp.stream: 1");
        RecordingContext.Sample firstOfB = context.samples.get(5);
        assertThat(firstOfB.label()).isEqualTo("B");
        assertThat(firstOfB.text()).contains("frame.time_relative: 0.000000000,", "ip.src: IP_1, ip.dst: IP_2",
                "udp.srcport: PORT_1, udp.dstport: PORT_2").endsWith("udp.stream: 0");
    }

    @Test
    void trafficWordsAreMaskedByDefaultAndShowTheCapturesIdentifiersOtherwise() throws Exception {
        writeTwoClasses();

        RecordingContext masked = new RecordingContext(root, Granularity.PACKET);
        layout.read(masked);
        RecordingContext plain = new RecordingContext(root, Granularity.PACKET);
        plain.mask = false;
        layout.read(plain);

        assertMasked(masked, Map.of("A", root.resolve("A/one.pcap"), "B", root.resolve("B/two.pcap")));
        assertUnmasked(plain, Map.of("A", root.resolve("A/one.pcap"), "B", root.resolve("B/two.pcap")));
        assertThat(plain.samples.get(0).text()).contains("frame.time: Nov 14, 2023 22:13:20.000000000 UTC,",
                "eth.src: " + TestCaptures.SOURCE_MAC, "ip.src: 10.0.0.1, ip.dst: 10.0.0.2", "udp.srcport: 1000, udp.dstport: 53");
    }

    @Test
    void everyFlowOfTheFlowTableIsASampleInTrafficLlmsFlowBytes() throws Exception {
        byte[][] frames = writeTwoClasses();

        RecordingContext plain = new RecordingContext(root, Granularity.FLOW);
        plain.mask = false;
        layout.read(plain);

        // TrafficLLM: "<pck>" + "<pck>".join(first 128 bytes of each of the first 10 frames as hex)
        assertThat(plain.samples).extracting(RecordingContext.Sample::label, RecordingContext.Sample::text)
                .containsExactlyInAnyOrder(tuple("A", pck(frames[0], frames[1], frames[3])),
                        tuple("A", pck(frames[4], frames[5])), tuple("B", pck(frames[6], frames[7])));
        assertThat(plain.samples).extracting(RecordingContext.Sample::group).doesNotHaveDuplicates()
                .allSatisfy(group -> assertThat(group).matches("(A/one|B/two)\\.pcap 17 .*"));
        assertThat(layout.renderer(Granularity.FLOW, null)).isEqualTo("flow-bytes");

        RecordingContext masked = new RecordingContext(root, Granularity.FLOW);
        layout.read(masked);
        assertThat(masked.samples).hasSameSizeAs(plain.samples);
        for (int i = 0; i < plain.samples.size(); i++) {
            String[] original = plain.samples.get(i).text().substring(5).split("<pck>");
            String[] hidden = masked.samples.get(i).text().substring(5).split("<pck>");
            assertThat(hidden).hasSameSizeAs(original);
            for (int k = 0; k < original.length; k++) {
                // Ethernet, IPv4, UDP: MACs at hex 0-24, IP checksum 48-52, addresses 52-68, ports 68-76,
                // UDP checksum 80-84; the rest is the frame as captured
                String o = original[k];
                String h = hidden[k];
                assertThat(h).hasSameSizeAs(o);
                assertThat(h.substring(0, 24)).matches("0{8}[0-9a-f]{4}0{8}[0-9a-f]{4}").isNotEqualTo(o.substring(0, 24));
                assertThat(h.substring(52, 68)).matches("0{6}[0-9a-f]{2}0{6}[0-9a-f]{2}")
                        .doesNotContain("0a000001", "0a000002", "0a000003", "0a000004", "0a000005");
                assertThat(h.substring(68, 76)).matches("00[0-9a-f]{2}00[0-9a-f]{2}").isNotEqualTo(o.substring(68, 76));
                assertThat(h.substring(24, 48) + h.substring(76, 80) + h.substring(84))
                        .isEqualTo(o.substring(24, 48) + o.substring(76, 80) + o.substring(84));
            }
        }
    }

    /** Renderers are looked up by name at each build among those bound now, the default always there. */
    @Test
    void aBuildUsesTheRequestedInstalledRendererAndIsRefusedOneThatWentAway() throws Exception {
        writeTwoClasses();
        assertThat(layout.renderer(Granularity.PACKET, null, "http-request")).isEqualTo("http-request");
        assertThat(layout.renderer(Granularity.FLOW, null, "flow-bytes-shape")).isEqualTo("flow-bytes-shape");

        RecordingContext shaped = new RecordingContext(root, Granularity.FLOW);
        shaped.renderer = "flow-bytes-shape";
        layout.read(shaped);
        assertThat(shaped.samples).hasSize(3).allSatisfy(sample -> assertThat(sample.text())
                .startsWith("flow.packets: ").contains(", <pck>"));

        layout.flowRenderers = List.of();
        assertThat(layout.renderer(Granularity.FLOW, null, null)).isEqualTo("flow-bytes");
        assertThatThrownBy(() -> layout.renderer(Granularity.FLOW, null, "flow-bytes-shape"))
                .isInstanceOf(DatasetException.class)
                .hasMessage("renderer 'flow-bytes-shape' is not available for flow samples of captures; use flow-bytes");
        RecordingContext gone = new RecordingContext(root, Granularity.FLOW);
        gone.renderer = "flow-bytes-shape";
        assertThatThrownBy(() -> layout.read(gone)).isInstanceOf(DatasetException.class)
                .hasMessage("renderer 'flow-bytes-shape' was uninstalled while the build was starting");
        RecordingContext plain = new RecordingContext(root, Granularity.FLOW);
        plain.renderer = "flow-bytes";
        layout.read(plain);
        assertThat(plain.samples).hasSize(3).allSatisfy(sample -> assertThat(sample.text()).startsWith("<pck>"));
    }

    @Test
    void aDamagedCaptureKeepsItsPacketsBeforeTheDamageAndIsReportedOnce() throws Exception {
        Files.createDirectories(root.resolve("B"));
        Path broken = root.resolve("B/broken.pcap");
        TestCaptures.write(captures, broken, udp(4, 5000, 5, 443), udp(5, 443, 4, 5000), udp(4, 5000, 5, 443));
        byte[] bytes = Files.readAllBytes(broken);
        Files.write(broken, Arrays.copyOf(bytes, bytes.length - 10));

        RecordingContext context = new RecordingContext(root, Granularity.PACKET);
        context.mask = false;
        layout.read(context);

        assertThat(context.count("B")).isEqualTo(2);
        assertThat(context.samples.get(0).text()).contains("ip.src: 10.0.0.4");
        // the capture bundle's message names the file by its path; the skip line names it once
        assertThat(context.skips).singleElement().asString()
                .startsWith("B/broken.pcap: unreadable capture: truncated record at byte ")
                .contains("(packet 3)").endsWith("(2 packets before it were used)")
                .doesNotContain(root.toString()).doesNotContain("\n");
    }

    @Test
    void readsTheSharedUstcCapturesAsTwoClassesMaskedOrNot() throws Exception {
        Path ustc = SharedData.path("ustc-tfc2016/pcap");
        Map<String, Path> files = Map.of("Facetime", ustc.resolve("Benign/Facetime.pcap"), "Tinba",
                ustc.resolve("Malware/Tinba.pcap"));
        RecordingContext masked = new RecordingContext(ustc, Granularity.PACKET);
        layout.read(masked);
        // tshark -Y 'udp or tcp' counts 6,000 and 21,906 packets (1,486 of Tinba's are ICMP errors quoting UDP)
        assertThat(masked.count("Facetime")).isEqualTo(6_000);
        assertThat(masked.count("Tinba")).isEqualTo(21_906);
        assertThat(masked.skips).isEmpty();
        // the published captures give every Facetime packet other addresses: 6,000 flows of one packet
        assertThat(masked.samples.stream().filter(s -> s.label().equals("Facetime")).map(RecordingContext.Sample::group)
                .distinct().count()).isEqualTo(6_000);
        assertMasked(masked, files);

        RecordingContext plain = new RecordingContext(ustc, Granularity.PACKET);
        plain.mask = false;
        layout.read(plain);
        assertUnmasked(plain, files);
    }

    /**
     * No sample shows an address, MAC or port of its capture: every identifier
     * field holds a placeholder, and no IPv4 address of any header (outer,
     * innermost, quoted by an ICMP error) appears anywhere in the text.
     */
    private void assertMasked(RecordingContext context, Map<String, Path> captureOfLabel) throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Path> entry : captureOfLabel.entrySet()) {
            CaptureIdentifiers ids = CaptureIdentifiers.of(captures, entry.getValue());
            assertThat(ids.addresses).isNotEmpty();
            for (RecordingContext.Sample sample : context.samples) {
                if (!sample.label().equals(entry.getKey())) {
                    continue;
                }
                Map<String, String> fields = CaptureIdentifiers.fields(sample.text());
                fields.forEach((name, value) -> {
                    boolean masked = name.startsWith("eth.src") || name.startsWith("eth.dst") ? MAC.matcher(value).matches()
                            : name.equals("ip.src") || name.equals("ip.dst") ? IPS.matcher(value).matches()
                            : name.endsWith("port") ? PORT.matcher(value).matches()
                            : name.equals("frame.time") || name.equals("frame.time_epoch") ? value.equals("TIME")
                            : name.equals("tcp.payload") || !ids.macs.contains(value);
                    if (!masked) {
                        wrong.add(name + ": " + value);
                    }
                });
                if (!fields.containsKey("eth.src") || !fields.containsKey("frame.time")
                        || "4".equals(fields.get("ip.version")) && !fields.containsKey("ip.src")) {
                    wrong.add("fields missing: " + sample.text());
                }
                for (String run : digitsAndDots(sample.text())) {
                    if (ids.addresses.contains(run)) {
                        wrong.add("address " + run + " in " + sample.text());
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Each sample shows its own packet's addresses, MACs and ports as captured. */
    private void assertUnmasked(RecordingContext context, Map<String, Path> captureOfLabel) throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Path> entry : captureOfLabel.entrySet()) {
            CaptureIdentifiers ids = CaptureIdentifiers.of(captures, entry.getValue());
            for (RecordingContext.Sample sample : context.samples) {
                if (!sample.label().equals(entry.getKey())) {
                    continue;
                }
                CaptureIdentifiers.Ends ends = ids.packets.get(number(sample.text()));
                Map<String, String> fields = CaptureIdentifiers.fields(sample.text());
                String transport = fields.containsKey("tcp.srcport") ? "tcp" : "udp";
                boolean shown = Objects.equals(fields.get("eth.src"), ends.sourceMac())
                        && Objects.equals(fields.get("eth.dst"), ends.destinationMac())
                        && (ends.source() == null || fields.get("ip.src").startsWith(ends.source())
                                && fields.get("ip.dst").startsWith(ends.destination()))
                        && (ends.sourcePort() < 0
                                || fields.get(transport + ".srcport").equals(Integer.toString(ends.sourcePort()))
                                && fields.get(transport + ".dstport").equals(Integer.toString(ends.destinationPort())))
                        && fields.get("frame.time").endsWith(" UTC");
                if (!shown) {
                    wrong.add(ends + " not in " + sample.text());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /**
     * A/one.pcap: flows 1-2-4 and 5-6 (and an ARP frame); B/two.pcap: flow 1-2.
     * Returns the eight frames in that order.
     */
    private byte[][] writeTwoClasses() throws IOException {
        Files.createDirectories(root.resolve("A"));
        Files.createDirectories(root.resolve("B"));
        byte[][] frames = {udp(1, 1000, 2, 53), udp(2, 53, 1, 1000), arp(), udp(1, 1000, 2, 53), udp(1, 1001, 3, 53),
            udp(3, 53, 1, 1001), udp(4, 5000, 5, 443), udp(5, 443, 4, 5000)};
        TestCaptures.write(captures, root.resolve("A/one.pcap"), Arrays.copyOfRange(frames, 0, 6));
        TestCaptures.write(captures, root.resolve("B/two.pcap"), Arrays.copyOfRange(frames, 6, 8));
        return frames;
    }

    /** The runs of digits and dots holding three dots: where a dotted IPv4 address would be. */
    private static List<String> digitsAndDots(String text) {
        List<String> runs = new ArrayList<>();
        int start = -1;
        int dots = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (c == '.' || c >= '0' && c <= '9') {
                if (start < 0) {
                    start = i;
                    dots = 0;
                }
                dots += c == '.' ? 1 : 0;
            } else if (start >= 0) {
                if (dots == 3) {
                    runs.add(text.substring(start, i));
                }
                start = -1;
            }
        }
        return runs;
    }

    private static String pck(byte[]... frames) {
        StringBuilder text = new StringBuilder();
        for (byte[] frame : frames) {
            text.append("<pck>").append(HexFormat.of().formatHex(frame, 0, Math.min(128, frame.length)));
        }
        return text.toString();
    }

    private static long number(String text) {
        Matcher m = FRAME_NUMBER.matcher(text);
        assertThat(m.find()).as("frame.number in %s", text).isTrue();
        return Long.parseLong(m.group(1));
    }
}

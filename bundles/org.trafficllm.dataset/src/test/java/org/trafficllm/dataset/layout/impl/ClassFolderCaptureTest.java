package org.trafficllm.dataset.layout.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.capture.PcapWriter;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;
import org.trafficllm.dataset.impl.SharedData;

/**
 * The class-folder layout over the real capture reader, on captures this test
 * writes and on the shared USTC-TFC2016 captures. The traffic text comes from a
 * stand-in until the text bundle is here; grouping, labels and damage handling are
 * this layout's own.
 */
class ClassFolderCaptureTest {
    private final PcapCaptureService captures = new PcapCaptureService();
    private final TrafficWordsStandIn words = new TrafficWordsStandIn();
    private final FlowBytesStandIn flowBytes = new FlowBytesStandIn();
    private final ClassFolderLayout layout = new ClassFolderLayout(captures, new FlowAssemblyService(captures), words,
            flowBytes);

    @TempDir
    Path root;

    @Test
    void everyTcpOrUdpPacketIsASampleGroupedByItsFlowInBothDirections() throws Exception {
        writeTwoClasses();

        RecordingContext context = new RecordingContext(root, Granularity.PACKET);
        layout.read(context);

        assertThat(context.count("A")).isEqualTo(5);
        assertThat(context.count("B")).isEqualTo(2);
        Map<String, List<Integer>> groups = context.samples.stream().collect(Collectors.groupingBy(
                RecordingContext.Sample::group, Collectors.mapping(s -> number(s.text()), Collectors.toList())));
        assertThat(groups.values()).containsExactlyInAnyOrder(List.of(1, 2, 4), List.of(5, 6), List.of(1, 2));
        assertThat(groups.keySet()).allSatisfy(group -> assertThat(group).matches("(A/one|B/two)\\.pcap 17 .*"));
        assertThat(context.skips).isEmpty();
        assertThat(words.sessions).as("one render session per capture").isEqualTo(2);
        assertThat(words.opened.mask).isEqualTo(EnumSet.allOf(MaskedIdentifier.class));
        assertThat(context.lastDone).isEqualTo(context.lastTotal).isPositive();
    }

    @Test
    void everyFlowOfTheFlowTableIsASample() throws Exception {
        writeTwoClasses();

        RecordingContext context = new RecordingContext(root, Granularity.FLOW);
        layout.read(context);

        assertThat(context.samples).extracting(RecordingContext.Sample::label, RecordingContext.Sample::text)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("A", "<pck>1<pck>2<pck>4"),
                        org.assertj.core.groups.Tuple.tuple("A", "<pck>5<pck>6"),
                        org.assertj.core.groups.Tuple.tuple("B", "<pck>1<pck>2"));
        assertThat(context.samples).extracting(RecordingContext.Sample::group).doesNotHaveDuplicates()
                .allSatisfy(group -> assertThat(group).matches("(A/one|B/two)\\.pcap 17 .*"));
        assertThat(flowBytes.sessions).isEqualTo(2);
        assertThat(layout.renderer(Granularity.FLOW, null)).isEqualTo("flow-bytes");
    }

    @Test
    void aDamagedCaptureKeepsItsPacketsBeforeTheDamageAndIsReported() throws Exception {
        Files.createDirectories(root.resolve("B"));
        Path broken = root.resolve("B/broken.pcap");
        write(broken, udp(4, 5000, 5, 443), udp(5, 443, 4, 5000), udp(4, 5000, 5, 443));
        byte[] bytes = Files.readAllBytes(broken);
        Files.write(broken, Arrays.copyOf(bytes, bytes.length - 10));

        RecordingContext context = new RecordingContext(root, Granularity.PACKET);
        context.mask = false;
        layout.read(context);

        assertThat(context.count("B")).isEqualTo(2);
        assertThat(context.skips).singleElement().asString().startsWith("B/broken.pcap: unreadable capture: ")
                .contains("2 packets before it were used").doesNotContain("\n");
        assertThat(words.opened.mask).isEmpty();
    }

    @Test
    void readsTheSharedUstcCapturesAsTwoClasses() throws Exception {
        Path ustc = SharedData.path("ustc-tfc2016/pcap");
        RecordingContext context = new RecordingContext(ustc, Granularity.PACKET);
        layout.read(context);
        // tshark -Y 'udp or tcp' counts 6,000 and 21,906 packets; 1,486 of Tinba's are ICMP errors quoting UDP
        assertThat(context.count("Facetime")).isEqualTo(6_000);
        assertThat(context.count("Tinba")).isEqualTo(21_906 - 1_486);
        assertThat(context.skips).isEmpty();
        // the published captures give every Facetime packet other addresses: 6,000 flows of one packet
        assertThat(context.samples.stream().filter(s -> s.label().equals("Facetime")).map(RecordingContext.Sample::group)
                .distinct().count()).isEqualTo(6_000);
    }

    /** A/one.pcap: flows 1-2-4 and 5-6 (and an ARP frame); B/two.pcap: flow 1-2. */
    private void writeTwoClasses() throws IOException {
        Files.createDirectories(root.resolve("A"));
        Files.createDirectories(root.resolve("B"));
        write(root.resolve("A/one.pcap"), udp(1, 1000, 2, 53), udp(2, 53, 1, 1000), arp(), udp(1, 1000, 2, 53),
                udp(1, 1001, 3, 53), udp(3, 53, 1, 1001));
        write(root.resolve("B/two.pcap"), udp(4, 5000, 5, 443), udp(5, 443, 4, 5000));
    }

    private static int number(String text) {
        return Integer.parseInt(text.substring("frame.number: ".length(), text.indexOf(',')));
    }

    private void write(Path file, byte[]... frames) throws IOException {
        try (PcapWriter writer = captures.createPcap(file, 1, 65_535)) {
            long time = 1_700_000_000_000_000_000L;
            for (byte[] frame : frames) {
                writer.write(time, frame, 0, frame.length, frame.length);
                time += 1_000_000;
            }
        }
    }

    /** An Ethernet/IPv4/UDP frame from 10.0.0.{@code a} to 10.0.0.{@code b} with a 4-byte payload. */
    private static byte[] udp(int a, int sport, int b, int dport) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00});
        out.writeBytes(new byte[] {0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, (byte) a, 10, 0, 0, (byte) b});
        out.writeBytes(new byte[] {(byte) (sport >> 8), (byte) sport, (byte) (dport >> 8), (byte) dport, 0, 12, 0, 0});
        out.writeBytes(new byte[] {1, 2, 3, 4});
        return out.toByteArray();
    }

    private static byte[] arp() {
        byte[] frame = new byte[42];
        Arrays.fill(frame, 0, 6, (byte) 0xff);
        frame[12] = 0x08;
        frame[13] = 0x06;
        return frame;
    }
}

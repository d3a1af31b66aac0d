package org.trafficllm.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.dataset.DatasetBuilder;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.SplitMode;
import org.trafficllm.api.dataset.dto.BuildProgressDTO;
import org.trafficllm.api.dataset.dto.DatasetRequestDTO;
import org.trafficllm.api.dataset.dto.DatasetResultDTO;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.PacketRenderer;
import org.trafficllm.api.text.TrafficRendererService;

/**
 * The dataset builder as the framework wires it: the real capture, text and dataset
 * bundles started by DS, the class-folder layout finding its capture reader, flow
 * table and renderers by service filter, over copies of the project's example
 * captures ({@code examples/captures}, path from the run property
 * {@code trafficllm.examples}).
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class DatasetBuilderTest {
    private static final Pattern PORT_FIELD = Pattern.compile("(?:tcp|udp)\\.(?:src|dst)port: ([^,\"]+)");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    DatasetBuilder builder;

    @InjectService(timeout = 10_000)
    CaptureService captures;

    @TempDir
    Path temp;

    private Path input;
    private final Set<Integer> ports = new HashSet<>();
    private final Set<String> addresses = new HashSet<>();

    /** web/ holds http-get.pcap twice (one copy), dns/ the DNS query, refused/ the refused connection. */
    @BeforeEach
    void classFolders() throws IOException {
        String examples = context.getProperty("trafficllm.examples");
        assertThat(examples).as("run property trafficllm.examples").isNotBlank();
        Path captureFolder = Paths.get(examples, "captures");
        input = temp.resolve("input");
        copy(captureFolder.resolve("http-get.pcap"), input.resolve("web/http-get.pcap"));
        copy(captureFolder.resolve("http-get.pcap"), input.resolve("web/day2/http-get-again.pcap"));
        copy(captureFolder.resolve("dns-query.pcap"), input.resolve("dns/dns-query.pcap"));
        copy(captureFolder.resolve("tcp-refused.pcap"), input.resolve("refused/tcp-refused.pcap"));
        for (String name : List.of("http-get.pcap", "dns-query.pcap", "tcp-refused.pcap")) {
            captures.read(captureFolder.resolve(name), packet -> {
                ports.add(packet.sourcePort());
                ports.add(packet.destinationPort());
                int length = packet.ipVersion() == 4 ? 4 : 16;
                addresses.add(HexFormat.of().formatHex(packet.array(), packet.sourceAddressOffset(),
                        packet.sourceAddressOffset() + length));
            });
        }
        ports.remove(-1);
        assertThat(addresses).containsExactly("7f000001");
    }

    @Test
    void layoutsAreRegisteredByTheirBundles() {
        assertThat(builder.layouts()).contains("class-folders", "csic-2010", "ndpi-flow-labels", "ustc-tfc2016-idx");
    }

    @Test
    void buildsAMaskedPacketDatasetFromClassFolders() throws Exception {
        DatasetRequestDTO request = request("out");
        List<BuildProgressDTO> progress = new ArrayList<>();

        DatasetResultDTO result = builder.build(request, progress::add);

        assertThat(result.layout).isEqualTo("class-folders");
        assertThat(result.task).isEqualTo("EAC");
        assertThat(result.renderer).isEqualTo("traffic-words");
        assertThat(result.masked).isTrue();
        // http-get.pcap has 12 packets (read twice), dns-query.pcap 2, tcp-refused.pcap 2
        assertThat(result.classes).extracting(c -> c.label + "=" + c.read).containsExactly("dns=2", "refused=2",
                "web=24");
        assertThat(result.samplesRead).isEqualTo(28);
        assertThat(result.skipped).isEmpty();
        // one connection per capture; the copy renders alike and joins its original's group
        assertThat(result.groups).isEqualTo(3);
        assertThat(result.groupsOnBothSides).isZero();
        assertThat(result.train + result.test).isEqualTo(28);

        Path out = Path.of(request.outputPath);
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder(
                    "examples_detection_packet_train.jsonl", "examples_detection_packet_test.jsonl",
                    "examples_label.json", "examples_detection_packet_task.json", "examples_detection_packet_report.json");
        }
        assertThat(Files.readString(Path.of(result.labelFile)))
                .isEqualTo("{\n    \"dns\": 0,\n    \"refused\": 1,\n    \"web\": 2\n}");
        List<String> lines = lines(result);
        assertThat(lines).hasSize(28).allSatisfy(line -> {
            assertThat(line).startsWith("{\"instruction\":\"").contains("<packet>: frame.encap_type: 1, ")
                    .contains("eth.src: MAC_", "ip.src: IP_", "frame.time: TIME, ").doesNotContain("127.0.0.1");
            Matcher port = PORT_FIELD.matcher(line);
            assertThat(port.find()).isTrue();
            do {
                assertThat(port.group(1)).matches("PORT_\\d+");
            } while (port.find());
            for (int actual : ports) {
                assertThat(line).doesNotContain("port: " + actual + ",");
            }
        });
        assertThat(lines.stream().filter(line -> line.contains("\"output\":\"web\","))).hasSize(24);
        // every line names its split group: one per connection (the web capture's copy joins its original)
        assertThat(lines.stream().map(line -> line.substring(line.indexOf("\"output\":")))).hasSize(28)
                .allSatisfy(tail -> assertThat(tail).containsPattern("\"group\":\\d+\\}$"))
                .extracting(tail -> tail.substring(tail.indexOf("\"group\":"))).doesNotContainNull()
                .containsOnly(groupsOf(lines, "web").get(0), groupsOf(lines, "dns").get(0),
                        groupsOf(lines, "refused").get(0));
        assertThat(groupsOf(lines, "web")).hasSize(1);
        assertThat(List.of(groupsOf(lines, "web").get(0), groupsOf(lines, "dns").get(0),
                groupsOf(lines, "refused").get(0))).doesNotHaveDuplicates();
        assertThat(progress).extracting(p -> p.phase).contains("read", "split", "write");
    }

    @Test
    void buildsAnUnmaskedDeduplicatedFlowDataset() throws Exception {
        DatasetRequestDTO request = request("flows");
        request.granularity = Granularity.FLOW;
        request.mask = false;
        request.dedup = true;
        request.split = SplitMode.SAMPLE;
        request.trainRatio = 0.5;

        DatasetResultDTO result = builder.build(request, null);

        assertThat(result.renderer).isEqualTo("flow-bytes");
        assertThat(result.masked).isFalse();
        assertThat(result.samplesRead).isEqualTo(4);
        assertThat(result.duplicatesRemoved).as("the copy of http-get.pcap").isEqualTo(1);
        assertThat(result.train + result.test).isEqualTo(3);
        List<String> lines = lines(result);
        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line)
                .containsPattern("<flow>: (<pck>[0-9a-f]+)+\"").contains("7f000001"));
        // the HTTP flow: 10 of its 12 packets, each cut to 128 bytes
        assertThat(lines).anySatisfy(line -> assertThat(line.split("<pck>", -1)).hasSize(11));
        for (int port : ports) {
            String hex = String.format("%04x", port);
            assertThat(lines).anySatisfy(line -> assertThat(line).contains(hex));
        }
        assertThat(Files.readString(Path.of(result.taskFile))).contains("\"renderer\" : \"flow-bytes\"");
    }

    @Test
    void rendersFlowsAsTheirPayloadsOnRequest() throws Exception {
        DatasetRequestDTO request = request("payloads");
        request.granularity = Granularity.FLOW;
        request.renderer = "payload-bytes";

        DatasetResultDTO result = builder.build(request, null);

        assertThat(result.renderer).isEqualTo("payload-bytes");
        assertThat(Files.readString(Path.of(result.taskFile))).contains("\"renderer\" : \"payload-bytes\"");
        // the refused connection carries no payload: no sample; the HTTP flow starts with its request line
        assertThat(result.classes).extracting(c -> c.label).containsExactly("dns", "web");
        List<String> lines = lines(result);
        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).containsPattern("<flow>: <pck>[0-9a-f]+\""));
        assertThat(lines).filteredOn(line -> line.contains("\"output\":\"web\",")).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("<pck>474554202f"));

        DatasetRequestDTO packets = request("payload-packets");
        packets.renderer = "payload-bytes";
        assertThatThrownBy(() -> builder.build(packets, null)).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("renderer 'payload-bytes' is not available for packet samples of captures; "
                        + "use traffic-words, ")
                .hasMessageContaining("http-request").hasMessageContaining("http-request-shape");
        assertThat(Path.of(packets.outputPath)).doesNotExist();
    }

    /** The text bundle's http-request packet renderer, found by name: only the packet that carries the GET. */
    @Test
    void rendersPacketsWithAnyInstalledPacketRendererByName() throws Exception {
        DatasetRequestDTO request = request("requests");
        request.renderer = "http-request";

        DatasetResultDTO result = builder.build(request, null);

        assertThat(result.renderer).isEqualTo("http-request");
        assertThat(Files.readString(Path.of(result.taskFile))).contains("\"renderer\" : \"http-request\"");
        assertThat(result.classes).extracting(c -> c.label).containsExactly("web");
        assertThat(lines(result)).hasSize(2).allSatisfy(line -> assertThat(line)
                .contains("\"output\":\"web\",")
                .contains("<packet>: {\\\"method\\\": \\\"GET\\\", \\\"url\\\": \\\"http://localhost:PORT_1/"));
    }

    /**
     * A renderer a plugin bundle registers while the framework runs is usable by its name at
     * once, and refused by name once it is gone: the layouts bind renderers dynamically.
     */
    @Test
    void aRendererRegisteredAtRunTimeIsUsableByNameUntilItGoes() throws Exception {
        PacketRenderer lengths = options -> new PacketRenderSession() {
            @Override
            public boolean render(PacketView packet, StringBuilder out) {
                out.append("frame.len: ").append(packet.originalLength());
                return true;
            }

            @Override
            public Map<String, String> placeholders() {
                return Map.of();
            }
        };
        ServiceRegistration<PacketRenderer> registration = context.registerService(PacketRenderer.class, lengths,
                FrameworkUtil.asDictionary(Map.of(TrafficRendererService.NAME, "frame-lengths")));
        DatasetRequestDTO request = request("lengths");
        request.renderer = "frame-lengths";
        DatasetResultDTO result;
        try {
            result = builder.build(request, null);
        } finally {
            registration.unregister();
        }

        assertThat(result.renderer).isEqualTo("frame-lengths");
        // every packet of the four captures: 12 + 12 (the copy) + 2 + 2
        assertThat(lines(result)).hasSize(28).allSatisfy(line -> assertThat(line)
                .containsPattern("<packet>: frame\\.len: \\d+\""));

        DatasetRequestDTO again = request("lengths-again");
        again.renderer = "frame-lengths";
        assertThatThrownBy(() -> builder.build(again, null)).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("renderer 'frame-lengths' is not available for packet samples of captures");
    }

    private DatasetRequestDTO request(String output) {
        DatasetRequestDTO request = new DatasetRequestDTO();
        request.input = input.toString();
        request.datasetName = "examples";
        request.outputPath = temp.resolve(output).toString();
        return request;
    }

    /** The distinct {@code "group":N} fields of one class's lines. */
    private static List<String> groupsOf(List<String> lines, String label) {
        return lines.stream().filter(line -> line.contains("\"output\":\"" + label + "\","))
                .map(line -> line.substring(line.indexOf("\"group\":"))).distinct().toList();
    }

    private static List<String> lines(DatasetResultDTO result) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of(result.trainFile)));
        lines.addAll(Files.readAllLines(Path.of(result.testFile)));
        return lines;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }
}

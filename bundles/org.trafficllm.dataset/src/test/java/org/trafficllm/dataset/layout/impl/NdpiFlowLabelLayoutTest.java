package org.trafficllm.dataset.layout.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;
import org.trafficllm.dataset.impl.SharedData;
import org.trafficllm.text.impl.FlowBytesRenderer;
import org.trafficllm.text.impl.TrafficWordsRenderer;

/** The label rows of nDPI's corpus; matching them to flows is covered with the capture bundle. */
class NdpiFlowLabelLayoutTest {
    private static final String HEADER = "pcap,pcap_present,flow,l4,src,sport,dir,dst,dport,ndpi_proto_id,ndpi_proto,"
            + "master_proto,app_proto,encryption,confidence,category,risks,risk_score,sni";
    private static final Set<String> DPI = Set.of("DPI", "DPI (cache)", "DPI (partial)", "DPI (partial cache)",
            "DPI (aggressive)");
    private static final NdpiFlowLabelLayout.Rules APP = NdpiFlowLabelLayout.Rules.of("app_proto", DPI, null);

    @TempDir
    Path temp;

    @Test
    void keepsTheConfidentRowsOfTheSharedCorpus() throws Exception {
        Path csv = SharedData.path("ndpi/flow_labels.csv");
        RecordingContext context = new RecordingContext(csv.getParent(), Granularity.FLOW);
        Map<String, Map<String, String>> rows = NdpiFlowLabelLayout.readRows(csv, APP, context);
        long kept = rows.values().stream().mapToLong(Map::size).sum();
        // nDPI printed four IPv6 addresses with two "::"; two of those rows were DPI verdicts, one a port match
        assertThat(context.skips).hasSize(4).allSatisfy(message -> assertThat(message)
                .startsWith("flow_labels.csv: line ").contains(": malformed row: bad address '"));
        assertThat(kept).isEqualTo(5_767 - 2);
        assertThat(context.dropped).containsEntry("capture not present", 661L)
                .containsEntry("confidence Match by port", 478L - 1).containsEntry("confidence Match by IP", 25L);
        assertThat(kept + context.skips.size() + context.dropped.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(9_288);
        assertThat(rows.values()).allSatisfy(labels -> assertThat(labels).doesNotContainValue("Unknown"));
        assertThat(rows.get("443-opvn.pcap")).containsValue("OpenVPN");

        RecordingContext byCategory = new RecordingContext(csv.getParent(), Granularity.FLOW);
        Map<String, Map<String, String>> vpn = NdpiFlowLabelLayout.readRows(csv,
                NdpiFlowLabelLayout.Rules.of("category", DPI, Set.of("VPN")), byCategory);
        assertThat(vpn.values().stream().mapToLong(Map::size).sum()).isEqualTo(151);
    }

    @Test
    void encryptedFlowsSplitIntoVpnAndTheRest() throws Exception {
        Path csv = SharedData.path("ndpi/flow_labels.csv");
        NdpiFlowLabelLayout layout = new NdpiFlowLabelLayout(null, null, null, null, config());
        NdpiFlowLabelLayout.Rules rules = layout.rules(
                Map.of("column", "category", "keep", "VPN", "other", "non-VPN", "encryption", "Encrypted"));
        RecordingContext context = new RecordingContext(csv.getParent(), Granularity.FLOW);
        Map<String, Map<String, String>> rows = NdpiFlowLabelLayout.readRows(csv, rules, context);
        Map<String, Long> counts = rows.values().stream().flatMap(labels -> labels.values().stream())
                .collect(java.util.stream.Collectors.groupingBy(label -> label, java.util.stream.Collectors.counting()));
        // of the 151 confident VPN rows, 6 are clear text (IPsec key exchange, PPTP...); one encrypted row has a bad address
        assertThat(counts).containsOnly(Map.entry("VPN", 145L), Map.entry("non-VPN", 1_619L));
        assertThat(context.dropped).containsEntry("encryption ClearText", 4_001L).doesNotContainKey("label not kept");
        // the Tor capture's three Tor flows are VPN, the other TLS flows beside them are not
        assertThat(rows.get("tor.pcap").values()).filteredOn("VPN"::equals).hasSize(3);
        assertThat(rows.get("tor.pcap").values()).contains("non-VPN");
    }

    @Test
    void otherNeedsTheLabelsThatStay() throws Exception {
        NdpiFlowLabelLayout layout = new NdpiFlowLabelLayout(null, null, null, null, config());
        assertThatThrownBy(() -> layout.rules(Map.of("other", "rest")))
                .isInstanceOf(DatasetException.class)
                .hasMessage("option other=rest needs option keep: the labels that stay themselves");
        assertThatThrownBy(() -> layout.rules(Map.of("keep", "VPN,Web", "other", "Web")))
                .hasMessage("option other='Web' must be a label that keep does not list");
        assertThat(layout.rules(Map.of()).column()).isEqualTo("app_proto");
    }

    @Test
    void badRowsAreSkippedWithTheirLineAndRulesDropTheRest() throws Exception {
        Path csv = temp.resolve("flow_labels.csv");
        Files.writeString(csv, String.join("\n", HEADER,
                "a.pcap,1,1,TCP,10.0.0.1,1000,<->,10.0.0.2,443,91,TLS,TLS,TLS,Encrypted,DPI,Web,,,x",
                "a.pcap,1,2,TCP,10.0.0.1,1000",
                "a.pcap,1,3,TCP,10.0.0.1,port,<->,10.0.0.2,443,91,TLS,TLS,TLS,Encrypted,DPI,Web,,,x",
                "a.pcap,1,4,XTP,10.0.0.1,1,<->,10.0.0.2,443,91,TLS,TLS,TLS,Encrypted,DPI,Web,,,x",
                "a.pcap,1,5,UDP,host.example,53,->,10.0.0.2,53,5,DNS,DNS,DNS,ClearText,DPI,Network,,,",
                "a.pcap,1,6,UDP,10.0.0.3,53,->,10.0.0.2,53,0,Unknown,Unknown,Unknown,ClearText,Unknown,,,,",
                "a.pcap,1,7,UDP,10.0.0.4,53,->,10.0.0.2,53,5,DNS,DNS,DNS,ClearText,Match by port,Network,,,",
                "b.pcap,0,1,UDP,10.0.0.4,53,->,10.0.0.2,53,5,DNS,DNS,DNS,ClearText,DPI,Network,,,",
                "a.pcap,1,8,TCP,10.0.0.2,443,<->,10.0.0.1,1000,7,HTTP,HTTP,HTTP,ClearText,DPI,Web,,,x",
                "") + "\n");
        RecordingContext context = new RecordingContext(temp, Granularity.FLOW);
        Map<String, Map<String, String>> rows = NdpiFlowLabelLayout.readRows(csv, APP, context);
        assertThat(context.skips).containsExactly(
                "flow_labels.csv: line 3: malformed row: 6 columns, expected 19",
                "flow_labels.csv: line 4: malformed row: bad port 'port'",
                "flow_labels.csv: line 5: malformed row: unknown protocol 'XTP'",
                "flow_labels.csv: line 6: malformed row: bad address 'host.example' or '10.0.0.2'");
        assertThat(context.dropped).containsOnly(Map.entry("application Unknown", 1L),
                Map.entry("confidence Match by port", 1L), Map.entry("capture not present", 1L));
        // rows 1 and 8 are one 5-tuple seen from both ends with different labels
        assertThat(rows.get("a.pcap")).hasSize(1).containsValue(NdpiFlowLabelLayout.AMBIGUOUS);
    }

    @Test
    void aMissingColumnStops() throws Exception {
        Path csv = temp.resolve("flow_labels.csv");
        Files.writeString(csv, "pcap,l4,src\n");
        RecordingContext context = new RecordingContext(temp, Granularity.FLOW);
        assertThatThrownBy(() -> NdpiFlowLabelLayout.readRows(csv, APP, context))
                .isInstanceOf(DatasetException.class)
                .hasMessage("flow_labels.csv: line 1: no column 'pcap_present' in the header");
    }

    @Test
    void packetsOfVpnAndTorFlowsCarryTheirFlowsLabel() throws Exception {
        NdpiFlowLabelLayout layout = new NdpiFlowLabelLayout(new PcapCaptureService(), null, new TrafficWordsRenderer(),
                null, config());
        RecordingContext context = new RecordingContext(SharedData.path("ndpi"), Granularity.PACKET);
        context.options.put("captures", "443-opvn.pcap,tor.pcap,wireguard.pcap");
        context.options.put("keep", "OpenVPN,Tor,WireGuard");
        layout.read(context);
        // packet counts of these flows in nDPI's own result/*.out files
        assertThat(context.count("OpenVPN")).isEqualTo(25 + 21);
        assertThat(context.count("Tor")).isEqualTo(17 + 23 + 17 + 21 + 16 + 18);
        assertThat(context.count("WireGuard")).isEqualTo(18 + 12 + 12 + 10);
        assertThat(context.samples.stream().map(RecordingContext.Sample::group).distinct().count()).isEqualTo(1 + 3 + 2);
        assertThat(context.samples).allSatisfy(s -> assertThat(s.group()).matches("(443-opvn|tor|wireguard)\\.pcap .*"));
        assertThat(context.samples).allSatisfy(s -> assertThat(s.text()).startsWith("frame.encap_type: ")
                .contains("frame.time: TIME, ").containsPattern("(tcp|udp)\\.srcport: PORT_\\d+, "));
        assertThat(context.skips).as("the four malformed rows of the label file").hasSize(4);
        assertThat(context.dropped).containsKey("5-tuple without a usable row")
                .doesNotContainKeys(NdpiFlowLabelLayout.NO_PACKETS, NdpiFlowLabelLayout.NO_TRAFFIC);
    }

    @Test
    void aRowWhosePacketsAreNotTcpOrUdpGivesFlowsButNoPacketSamples() throws Exception {
        PcapCaptureService captures = new PcapCaptureService();
        Files.createDirectories(temp.resolve("pcap"));
        TestCaptures.write(captures, temp.resolve("pcap/a.pcap"), TestCaptures.icmpEcho(1, 2),
                TestCaptures.udp(1, 5353, 2, 53), TestCaptures.icmpEcho(1, 2), TestCaptures.udp(2, 53, 1, 5353));
        Files.writeString(temp.resolve("flow_labels.csv"), String.join("\n", HEADER,
                "a.pcap,1,1,ICMP,10.0.0.1,0,->,10.0.0.2,0,81,ICMP,ICMP,ICMP,ClearText,DPI,Network,,,",
                "a.pcap,1,2,UDP,10.0.0.1,5353,<->,10.0.0.2,53,5,DNS,DNS,DNS,ClearText,DPI,Network,,,") + "\n");
        NdpiFlowLabelLayout layout = BoundRenderers.bind(new NdpiFlowLabelLayout(captures,
                new FlowAssemblyService(captures), new TrafficWordsRenderer(), new FlowBytesRenderer(), config()));

        RecordingContext packets = new RecordingContext(temp, Granularity.PACKET);
        layout.read(packets);
        assertThat(packets.samples).extracting(RecordingContext.Sample::label).containsExactly("DNS", "DNS");
        assertThat(packets.dropped).containsOnly(Map.entry(NdpiFlowLabelLayout.NO_PACKETS, 1L));

        RecordingContext flows = new RecordingContext(temp, Granularity.FLOW);
        layout.read(flows);
        assertThat(flows.samples).extracting(RecordingContext.Sample::label).containsExactly("ICMP", "DNS");
        assertThat(flows.dropped).isEmpty();
    }

    @Test
    void flowsOfTheFlowTableMeetTheirRows() throws Exception {
        RecordingContext context = vpnFlows(Map.of());
        // nDPI's category VPN: one OpenVPN, three Tor and two WireGuard rows. One Tor and one WireGuard
        // connection pause longer than the flow table's 120 s idle timeout (nDPI: 132 s and 138 s), so the
        // table ends them and starts anew: 8 flows, still 6 groups, so the pieces never straddle a split
        assertThat(context.count("VPN")).isEqualTo(8);
        assertThat(context.samples.stream().map(RecordingContext.Sample::group).distinct().count()).isEqualTo(6);
        // TrafficLLM's flow text: at most 10 frames, each at most 128 bytes as lower-case hex after <pck>
        assertThat(context.samples).allSatisfy(s -> assertThat(s.text()).matches("(<pck>([0-9a-f]{2}){1,128}){1,10}"));
        assertThat(context.dropped).doesNotContainKey(NdpiFlowLabelLayout.NO_TRAFFIC);
    }

    @Test
    void aCaptureCanBeOneGroup() throws Exception {
        RecordingContext context = vpnFlows(Map.of("group", "capture"));
        // the 8 flows of flowsOfTheFlowTableMeetTheirRows, now one group per capture file
        assertThat(context.count("VPN")).isEqualTo(8);
        assertThat(context.samples).extracting(RecordingContext.Sample::group).containsOnly("443-opvn.pcap",
                "tor.pcap", "wireguard.pcap");

        RecordingContext wrong = new RecordingContext(SharedData.path("ndpi"), Granularity.FLOW);
        wrong.options.put("captures", "tor.pcap");
        wrong.options.put("group", "file");
        assertThatThrownBy(() -> flowLayout().read(wrong)).isInstanceOf(DatasetException.class)
                .hasMessage("option group=file: expected flow or capture");
        assertThat(wrong.samples).isEmpty();
    }

    @Test
    void flowsCanBeRenderedAsTheirPayloadsOnly() throws Exception {
        NdpiFlowLabelLayout layout = flowLayout();
        assertThat(layout.renderer(Granularity.FLOW, TaskKind.DETECTION, null)).isEqualTo("flow-bytes");
        assertThat(layout.renderer(Granularity.FLOW, TaskKind.DETECTION, "payload-bytes")).isEqualTo("payload-bytes");
        assertThatThrownBy(() -> layout.renderer(Granularity.PACKET, TaskKind.DETECTION, "payload-bytes"))
                .isInstanceOf(DatasetException.class)
                .hasMessage("renderer 'payload-bytes' is not available for packet samples of captures; use traffic-words or http-request");
        assertThatThrownBy(() -> layout.renderer(Granularity.FLOW, TaskKind.DETECTION, "flow-words"))
                .hasMessage("renderer 'flow-words' is not available for flow samples of captures; use flow-bytes, payload-bytes, flow-bytes-names or flow-bytes-shape");

        RecordingContext headers = new RecordingContext(SharedData.path("ndpi"), Granularity.FLOW);
        RecordingContext payloads = new RecordingContext(SharedData.path("ndpi"), Granularity.FLOW);
        payloads.renderer = "payload-bytes";
        RecordingContext named = new RecordingContext(SharedData.path("ndpi"), Granularity.FLOW);
        named.renderer = "flow-bytes-names";
        RecordingContext shaped = new RecordingContext(SharedData.path("ndpi"), Granularity.FLOW);
        shaped.renderer = "flow-bytes-shape";
        for (RecordingContext context : List.of(headers, payloads, named, shaped)) {
            context.options.put("captures", "443-git.pcap");
            context.options.put("keep", "Github");
            layout.read(context);
        }
        assertThat(payloads.samples).hasSameSizeAs(headers.samples).hasSize(1);
        // the payload record starts with the client's TLS handshake record (content type 22, version 3.x) and
        // holds the server name; the flow-bytes text starts with the masked Ethernet header of a SYN
        assertThat(payloads.samples).allSatisfy(s -> assertThat(s.text()).matches("<pck>1603[0-9a-f]{4,1566}"));
        assertThat(payloads.samples.get(0).text()).contains(hex("github.com"));
        assertThat(headers.samples).allSatisfy(s -> assertThat(s.text()).startsWith("<pck>000000000001"));
        assertThat(payloads.samples).extracting(RecordingContext.Sample::group)
                .containsExactlyElementsOf(headers.samples.stream().map(RecordingContext.Sample::group).toList());
        // the server name nDPI found (flow_labels.csv: github.com), then the flow bytes unchanged
        assertThat(named.samples).hasSize(1);
        assertThat(named.samples.get(0).text())
                .isEqualTo("tls.handshake.extensions_server_name: github.com, " + headers.samples.get(0).text());
        // the counters nDPI writes for this flow (result/443-git.pcap.out: 35 pkts/3167 bytes <-> 35 pkts/34022
        // bytes, 0.82 sec; tshark: 0.8227 s), a SYN and its answer first, then the flow bytes unchanged
        assertThat(shaped.samples).hasSize(1);
        assertThat(shaped.samples.get(0).text())
                .startsWith("flow.packets: 35 35, flow.bytes: 3167 34022, flow.duration: 0.823, flow.payloads: >0 <0 ")
                .endsWith(", " + headers.samples.get(0).text());
    }

    /** nDPI's category VPN in three captures, as flows, with the given extra options. */
    private static RecordingContext vpnFlows(Map<String, String> options) throws Exception {
        RecordingContext context = new RecordingContext(SharedData.path("ndpi"), Granularity.FLOW);
        context.options.put("captures", "443-opvn.pcap,tor.pcap,wireguard.pcap");
        context.options.put("column", "category");
        context.options.put("keep", "VPN");
        context.options.putAll(options);
        flowLayout().read(context);
        return context;
    }

    private static NdpiFlowLabelLayout flowLayout() {
        PcapCaptureService captures = new PcapCaptureService();
        return BoundRenderers.bind(new NdpiFlowLabelLayout(captures, new FlowAssemblyService(captures),
                new TrafficWordsRenderer(), new FlowBytesRenderer(), config()));
    }

    private static String hex(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
            out.append(String.format("%02x", b));
        }
        return out.toString();
    }

    private static NdpiFlowLabelLayout.Config config() {
        return new NdpiFlowLabelLayout.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return NdpiFlowLabelLayout.Config.class;
            }

            @Override
            public String column() {
                return "app_proto";
            }

            @Override
            public String[] confidence() {
                return DPI.toArray(String[]::new);
            }
        };
    }
}

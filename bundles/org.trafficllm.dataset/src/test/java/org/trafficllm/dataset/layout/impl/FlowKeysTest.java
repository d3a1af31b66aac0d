package org.trafficllm.dataset.layout.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.FlowTable;
import org.trafficllm.api.capture.dto.FlowKeyDTO;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.capture.impl.FlowAssemblyService;
import org.trafficllm.capture.impl.PcapCaptureService;
import org.trafficllm.dataset.impl.SharedData;
import org.trafficllm.text.impl.TrafficWordsRenderer;

class FlowKeysTest {
    @Test
    void bothDirectionsGiveOneKey() {
        String forward = FlowKeys.of(6, "192.168.2.126", 45380, "161.117.13.29", 80);
        String backward = FlowKeys.of(6, "161.117.13.29", 80, "192.168.2.126", 45380);
        assertThat(forward).isEqualTo(backward).isEqualTo("6 a1750d1d:80 c0a8027e:45380");
        assertThat(FlowKeys.of(17, "192.168.2.126", 45380, "161.117.13.29", 80)).isNotEqualTo(forward);
    }

    @Test
    void aFlowTableKeyMatchesTheSameTupleWrittenOtherwise() {
        FlowKeyDTO flow = new FlowKeyDTO();
        flow.ipVersion = 6;
        flow.protocol = 17;
        flow.clientAddress = "fe80:0:0:0:9bd:81dd:2fdc:5750";
        flow.clientPort = 1900;
        flow.serverAddress = "ff02::c";
        flow.serverPort = 1900;
        assertThat(FlowKeys.of(flow)).isEqualTo(FlowKeys.of(17, "ff02::c", 1900, "fe80::9bd:81dd:2fdc:5750", 1900));
    }

    @Test
    void anIpv4MappedAddressStaysSixteenBytesAsInThePacket() {
        assertThat(FlowKeys.address("::ffff:192.0.2.1")).hasSize(16).endsWith(0xff, 0xff, 192, 0, 2, 1);
        assertThat(FlowKeys.address("::ffff:c000:201")).isEqualTo(FlowKeys.address("::ffff:192.0.2.1"));
        assertThat(FlowKeys.of(6, "::ffff:192.0.2.1", 1, "2001:db8::1", 2)).isNotNull();
    }

    /**
     * A packet sample's group and its flow's group must be one key, or a packet and
     * its flow could land on two sides of a split. Checked for every packet the
     * traffic-words renderer renders (later IP fragments are not rendered) on
     * captures with tunnels (IP in IP, IPv6 in IPv4 and IPv6, GTP-U: the view and the
     * table both use the innermost header), fragments, Teredo and ICMP errors quoting
     * UDP.
     */
    @Test
    void aPacketsKeyIsTheKeyOfTheFlowTheFlowTablePutsItIn() throws Exception {
        PcapCaptureService captures = new PcapCaptureService();
        FlowAssemblyService flows = new FlowAssemblyService(captures);
        Path ndpi = SharedData.path("ndpi/pcap");
        List<Path> files = new ArrayList<>();
        for (String name : List.of("4in4tunnel.pcap", "4in6tunnel.pcap", "6in4tunnel.pcap", "6in6tunnel.pcap",
                "ipv6_in_gtp.pcap", "teredo.pcap", "dns_fragmented.pcap", "smb_frags.pcap",
                "ip_fragmented_garbage.pcap", "1kxun.pcap")) {
            files.add(ndpi.resolve(name));
        }
        files.add(SharedData.path("ustc-tfc2016/pcap/Malware/Tinba.pcap"));
        long checked = 0;
        long tunnelled = 0;
        long icmp = 0;
        for (Path file : files) {
            Map<Long, String> keyOfFlow = new HashMap<>();
            List<Object[]> packets = new ArrayList<>();
            PacketRenderSession words = new TrafficWordsRenderer().open(null);
            StringBuilder text = new StringBuilder();
            try (FlowTable table = flows.newTable(null, flow -> keyOfFlow.put(flow.id(), FlowKeys.of(flow.key())))) {
                captures.read(file, packet -> {
                    table.packet(packet);
                    text.setLength(0);
                    if (words.render(packet, text)) {
                        packets.add(new Object[] {packet.number(), table.lastFlowId(), FlowKeys.of(packet)});
                    }
                });
            }
            for (Object[] packet : packets) {
                assertThat(packet[2]).as("%s packet %s", file.getFileName(), packet[0]).isNotNull()
                        .isEqualTo(keyOfFlow.get((Long) packet[1]));
            }
            checked += packets.size();
        }
        for (Path file : files) {
            long[] counts = new long[2];
            captures.read(file, packet -> {
                counts[0] += packet.outerNetworkOffset() != packet.networkOffset() ? 1 : 0;
                counts[1] += packet.ipProtocol() == 1 ? 1 : 0;
            });
            tunnelled += counts[0];
            icmp += counts[1];
        }
        assertThat(checked).isGreaterThan(20_000);
        assertThat(tunnelled).as("tunnelled packets").isGreaterThan(100);
        assertThat(icmp).as("ICMP packets, most quoting UDP").isGreaterThan(1_000);
    }

    @Test
    void onlyLiteralsAreAddressesSoNoNameIsLookedUp() {
        assertThat(FlowKeys.address("example.org")).isNull();
        assertThat(FlowKeys.address("10.0.0.1")).containsExactly(10, 0, 0, 1);
        assertThat(FlowKeys.of(6, "10.0.0.1", 1, "::1", 2)).isNull();
        assertThat(FlowKeys.of(6, "host", 1, "10.0.0.1", 2)).isNull();
    }
}

package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.dto.ReadOptions;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.PcapCaptureService;

/**
 * Renders real captures and compares every field with tshark 4.0's output for the
 * same packets. Fields whose format changed between tshark 2.6 (our format,
 * TrafficLLM's data) and 4.0 are compared by value; the README lists them.
 */
class TrafficWordsTsharkTest {
    private static final int MAX_PACKETS = 3000;
    private static final List<String> CAPTURES = List.of("ustc-tfc2016/pcap/Benign/Facetime.pcap",
            "ustc-tfc2016/pcap/Malware/Tinba.pcap", "ndpi/pcap/1kxun.pcap", "ndpi/pcap/443-firefox.pcap",
            "ndpi/pcap/ftp.pcap", "ndpi/pcap/ssh.pcap", "ndpi/pcap/bittorrent.pcap", "ndpi/pcap/tor.pcap",
            "ndpi/pcap/whatsapp.pcap", "ndpi/pcap/iphone.pcap", "ndpi/pcap/teamviewer.pcap", "ndpi/pcap/openvpn.pcap",
            "ndpi/pcap/quic.pcap", "ndpi/pcap/rtsp.pcap", "ndpi/pcap/KakaoTalk_chat.pcap", "ndpi/pcap/rdp.pcap",
            "ndpi/pcap/codm.pcap", "ndpi/pcap/weibo.pcap", "ndpi/pcap/signal.pcap", "ndpi/pcap/WebattackRCE.pcap");
    /** Hex fields 2.6 printed with eight digits and 4.0 with the field's width (tcp.payload: 2.6 with colons). */
    private static final Set<String> HEX = Set.of("eth.type", "ip.dsfield", "ip.id", "ip.checksum", "tcp.flags",
            "tcp.checksum", "udp.checksum");
    /**
     * Least agreement a field must keep where tshark's value depends on what a port
     * table and our TCP analysis cannot see: application dissectors and TCP
     * reassembly (README, "Agreement with tshark"). Measured, rounded down; every
     * other field must agree fully.
     */
    private static final Map<String, Double> FLOORS = Map.of("frame.protocols", 0.81,
            "tcp.analysis.bytes_in_flight", 0.85, "tcp.analysis.push_bytes_sent", 0.94, "data.len", 0.75,
            "tcp.segment", 0.0, "tcp.segment.count", 0.0, "tcp.reassembled.length", 0.0);

    private final PcapCaptureService captures = new PcapCaptureService();

    private static final class Tally {
        long agree;
        long total;
        final List<String> examples = new ArrayList<>();
    }

    @Test
    void fieldsAgreeWithTshark() throws Exception {
        Map<String, Tally> tallies = new LinkedHashMap<>();
        TrafficWordsFields.NAMES.forEach(n -> tallies.put(n, new Tally()));
        long ourRows = 0;
        long tsharkRows = 0;
        long onlyTshark = 0;
        long onlyOurs = 0;
        for (String capture : CAPTURES) {
            Path file = TestData.file(capture);
            Map<Long, Map<String, String>> expected = TsharkFields.run(file, MAX_PACKETS);
            Map<Long, Map<String, String>> actual = render(file);
            ourRows += actual.size();
            tsharkRows += expected.size();
            for (Map.Entry<Long, Map<String, String>> row : expected.entrySet()) {
                Map<String, String> ours = actual.get(row.getKey());
                if (ours == null) {
                    if (onlyTshark++ < 15) {
                        System.out.println("only tshark: " + capture + "#" + row.getKey() + " "
                                + row.getValue().get("frame.protocols"));
                    }
                    continue;
                }
                for (String field : TrafficWordsFields.NAMES) {
                    String theirs = row.getValue().get(field);
                    String mine = ours.get(field);
                    if (theirs == null && mine == null) {
                        continue;
                    }
                    Tally t = tallies.get(field);
                    t.total++;
                    if (same(field, mine, theirs)) {
                        t.agree++;

                    } else if (t.examples.size() < 6) {
                        t.examples.add(capture.substring(capture.lastIndexOf('/') + 1) + "#" + row.getKey() + " ours="
                                + abbreviate(mine) + " tshark=" + abbreviate(theirs));
                    }
                }
            }
            onlyOurs += actual.keySet().stream().filter(n -> !expected.containsKey(n)).count();
        }
        System.out.printf("traffic words vs tshark 4.0: %d captures, %d tshark rows, %d our rows, %d only tshark, %d only ours%n",
                CAPTURES.size(), tsharkRows, ourRows, onlyTshark, onlyOurs);
        System.out.println("| field | agreement | compared |");
        tallies.forEach((field, t) -> System.out.printf("| %s | %s | %d |%s%n", field,
                t.total == 0 ? "-" : String.format("%.2f%%", 100.0 * t.agree / t.total), t.total,
                t.examples.isEmpty() ? "" : " " + t.examples));
        assertThat(tsharkRows).isGreaterThan(10_000);
        assertThat(onlyTshark).as("rows tshark prints and we do not").isZero();
        assertThat(onlyOurs).as("rows we render and tshark does not").isZero();
        tallies.forEach((field, t) -> {
            if (t.total > 0) {
                double floor = FLOORS.getOrDefault(field, 1.0);
                assertThat((double) t.agree / t.total).as(field + " " + t.examples).isGreaterThanOrEqualTo(floor);
            }
        });
    }

    private Map<Long, Map<String, String>> render(Path file) throws Exception {
        PacketRenderSession session = new TrafficWordsRenderer().open(new RenderOptions());
        Map<Long, Map<String, String>> rows = new LinkedHashMap<>();
        StringBuilder sb = new StringBuilder();
        ReadOptions options = new ReadOptions();
        options.maxPackets = MAX_PACKETS;
        List<TextFormatException> errors = new ArrayList<>();
        captures.read(file, options, p -> {
            sb.setLength(0);
            if (session.render(p, sb)) {
                try {
                    rows.put(p.number(), TrafficWordsFields.parse(sb));
                } catch (TextFormatException e) {
                    errors.add(e);
                }
            }
        }, null);
        assertThat(errors).isEmpty();
        return rows;
    }

    private static boolean same(String field, String ours, String theirs) {
        if (ours == null || theirs == null) {
            return false;
        }
        if (HEX.contains(field) || field.equals("ip.flags")) {
            // Repeated fields (an ICMP error's quoted header) list one value per header.
            String[] mine = ours.split(",");
            String[] other = theirs.split(",");
            if (mine.length != other.length) {
                return false;
            }
            for (int i = 0; i < mine.length; i++) {
                long value = Long.decode(mine[i]);
                if ((field.equals("ip.flags") ? value >> 13 : value) != Long.decode(other[i])) {
                    return false;
                }
            }
            return true;
        }
        if (field.equals("tcp.payload")) {
            String bytes = ours.replace(":", "");
            return theirs.startsWith(bytes) && (ours.length() == 1000 || bytes.equals(theirs));
        }
        return ours.equals(theirs);
    }

    private static String abbreviate(String s) {
        return s == null ? "(none)" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}

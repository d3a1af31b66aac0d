package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.FlowView;

class TlsServerNameTest {
    /** nDPI captures with the most TLS flows that nDPI named by their server name, and a few odd ones. */
    private static final List<String> CAPTURES = List.of("alexa-app.pcapng", "opera-vpn.pcapng", "reddit.pcap",
            "sites.pcapng", "teams.pcap", "dnscrypt-v2-doh.pcap", "wechat.pcap", "netflix.pcap", "pinterest.pcap",
            "tunnelbear.pcap", "android.pcap", "iphone.pcap", "signal.pcap", "instagram.pcap", "zoom.pcap",
            "tls_certificate_too_long.pcap", "tor.pcap", "webex.pcap", "http_ipv6.pcap", "6in4tunnel.pcap",
            "no_sni.pcap", "443-git.pcap", "443-chrome.pcap", "443-curl.pcap");

    @Test
    void namesAgreeWithTsharkOnRealCaptures() throws Exception {
        int tsharkNamed = 0;
        int ourNamed = 0;
        int agreed = 0;
        List<String> disagreements = new ArrayList<>();
        for (String capture : CAPTURES) {
            Path file = TestData.file("ndpi/pcap/" + capture);
            // tshark reassembles the hello; the first ClientHello's server name per TCP conversation
            Map<String, String> expected = TsharkConversations.firstValues(file, "tls.handshake.type == 1", "tcp",
                    "tls.handshake.extensions_server_name");
            Map<String, String> ours = new LinkedHashMap<>();
            for (FlowView flow : TsharkConversations.flows(file)) {
                if (flow.key().protocol == 6) {
                    String name = TlsServerName.of(flow.firstPackets());
                    if (name != null) {
                        ours.putIfAbsent(TsharkConversations.key(flow.key()), name);
                    }
                }
            }
            tsharkNamed += expected.size();
            for (Map.Entry<String, String> e : ours.entrySet()) {
                ourNamed++;
                String theirs = expected.get(e.getKey());
                if (e.getValue().equals(theirs)) {
                    agreed++;
                } else {
                    disagreements.add(capture + " " + e.getKey() + ": ours " + e.getValue() + ", tshark " + theirs);
                }
            }
        }
        // every name we read is the one tshark reads, and we miss only hellos after the 10 kept packets
        assertThat(disagreements).isEmpty();
        assertThat(tsharkNamed).isGreaterThan(300);
        assertThat((double) agreed / tsharkNamed).as(agreed + " of " + tsharkNamed).isGreaterThan(0.99);
        assertThat(ourNamed).isEqualTo(agreed);
    }

    @Test
    void aHelloCutAnywhereOrGarbledGivesTheNameOrNothingAndNeverThrows() {
        byte[] hello = clientHello("Video.Example.org");
        assertThat(TlsServerName.serverName(hello, hello.length)).isEqualTo("video.example.org");
        for (int cut = 0; cut < hello.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(hello, cut);
            assertThat(TlsServerName.serverName(part, hello.length)).as("cut at " + cut).isNull();
        }
        assertThat(TlsServerName.serverName(clientHello("bad name"), 200)).isNull();
        assertThat(TlsServerName.serverName(clientHello("x\u00e9.org"), 200)).isNull();
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = hello.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            String name = TlsServerName.serverName(b, random.nextInt(b.length + 10));
            if (name != null) {
                assertThat(name).matches("[a-z0-9._-]{1,253}");
            }
        }
    }

    /** A TLS 1.2 ClientHello record with a session id, two cipher suites, one other extension and the server name. */
    private static byte[] clientHello(String name) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(3);
        body.write(3);
        body.writeBytes(new byte[32]);
        body.write(32);
        body.writeBytes(new byte[32]);
        body.writeBytes(new byte[] {0, 4, 0x13, 0x01, (byte) 0xc0, 0x2f, 1, 0});
        byte[] host = name.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        ext.writeBytes(new byte[] {0x00, 0x17, 0, 0});
        ext.writeBytes(new byte[] {0, 0});
        u16(ext, host.length + 5);
        u16(ext, host.length + 3);
        ext.write(0);
        u16(ext, host.length);
        ext.writeBytes(host);
        u16(body, ext.size());
        body.writeBytes(ext.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 3, 1});
        u16(record, body.size() + 4);
        record.write(1);
        record.write(0);
        u16(record, body.size());
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v & 0xff);
    }
}

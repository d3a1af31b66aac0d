package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.text.FlowRenderSession;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.dto.RenderOptions;

class FlowNamesTest {
    /** nDPI captures with HTTP requests and DNS queries. */
    private static final List<String> CAPTURES = List.of("1kxun.pcap", "dns.pcap", "android.pcap", "iphone.pcap",
            "http_ipv6.pcap", "dns_doh.pcap", "googledns_android10.pcap", "malware.pcap", "WebattackSQLinj.pcap",
            "http-proxy.pcapng", "facebook.pcap", "dnscrypt-v2-doh.pcap", "netflix.pcap");

    @Test
    void httpHostsAndDnsQueriesAgreeWithTshark() throws Exception {
        Map<String, int[]> counts = new HashMap<>();
        List<String> disagreements = new ArrayList<>();
        for (String capture : CAPTURES) {
            Path file = TestData.file("ndpi/pcap/" + capture);
            Map<String, String> hosts = TsharkConversations.firstValues(file, "http.request", "tcp", "http.host");
            Map<String, String> queries = TsharkConversations.firstValues(file, "(dns || mdns)", "udp", "dns.qry.name");
            for (FlowView flow : TsharkConversations.flows(file)) {
                FlowNames.Name name = FlowNames.of(flow.firstPackets(), false);
                boolean tcp = flow.key().protocol == 6;
                Map<String, String> theirs = tcp ? hosts : queries;
                String field = tcp ? FlowNames.HTTP_FIELD : FlowNames.DNS_FIELD;
                String expected = theirs.get(TsharkConversations.key(flow.key()));
                int[] c = counts.computeIfAbsent(field, f -> new int[2]);
                if (name != null && name.field().equals(field)) {
                    c[1]++;
                    if (!name.value().equals(expected)) {
                        disagreements.add(capture + " " + TsharkConversations.key(flow.key()) + ": ours " + name.value() + ", tshark "
                                + expected);
                    }
                }
                if (expected != null && !expected.isEmpty()) {
                    c[0]++;
                }
            }
        }
        assertThat(disagreements).isEmpty();
        for (String field : List.of(FlowNames.HTTP_FIELD, FlowNames.DNS_FIELD)) {
            int[] c = counts.get(field);
            assertThat(c[0]).as(field).isGreaterThan(20);
            assertThat((double) c[1] / c[0]).as(field + ": " + c[1] + " of " + c[0]).isGreaterThan(0.9);
        }
    }

    @Test
    void theRendererPutsTheNameBeforeTheFlowBytesAndLeavesOtherFlowsAlone() throws Exception {
        List<FlowView> all = new ArrayList<>();
        for (String capture : List.of("443-curl.pcap", "1kxun.pcap", "quic.pcap")) {
            all.addAll(TsharkConversations.flows(TestData.file("ndpi/pcap/" + capture)));
        }
        RenderOptions options = new RenderOptions();
        options.mask = EnumSet.allOf(MaskedIdentifier.class);
        FlowRenderSession named = new FlowBytesNamesRenderer().open(options);
        FlowRenderSession plain = new FlowBytesRenderer().open(options);
        Map<String, Integer> fields = new HashMap<>();
        for (FlowView flow : all) {
            StringBuilder a = new StringBuilder();
            StringBuilder b = new StringBuilder();
            assertThat(named.render(flow, a)).isEqualTo(plain.render(flow, b));
            FlowNames.Name name = FlowNames.of(flow.firstPackets(), true);
            if (name == null) {
                assertThat(a.toString()).isEqualTo(b.toString());
            } else {
                fields.merge(name.field(), 1, Integer::sum);
                assertThat(a.toString()).isEqualTo(name.field() + ": " + name.value() + ", " + b);
                assertThat(name.value()).matches("[a-z0-9._-]+").doesNotEndWith(".in-addr.arpa");
            }
        }
        assertThat(fields).containsKeys(FlowNames.TLS_FIELD, FlowNames.HTTP_FIELD, FlowNames.DNS_FIELD);
        assertThat(named.placeholders()).isEqualTo(plain.placeholders()).isNotEmpty();
    }

    @Test
    void namesThatSpellAnAddressOrCarryAPortAreNotKept() {
        byte[] request = "GET /x HTTP/1.1\r\nUser-Agent: t\r\nHOST: Example.ORG:8080\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(FlowNames.httpHost(request, 0, request.length)).isEqualTo("example.org");
        byte[] literal = "POST / HTTP/1.1\r\nHost: 10.1.2.3:80\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(FlowNames.httpHost(literal, 0, literal.length)).isEqualTo("10.1.2.3");
        assertThat(FlowNames.spellsAddress("10.1.2.3")).isTrue();
        assertThat(FlowNames.spellsAddress("3.2.1.10.in-addr.arpa")).isTrue();
        assertThat(FlowNames.spellsAddress("www.example.org")).isFalse();
        assertThat(FlowNames.namesALocalHost("jasons-phone.local")).isTrue();
        assertThat(FlowNames.namesALocalHost("_googlecast._tcp.local")).isFalse();
        assertThat(FlowNames.namesALocalHost("mtalk.google.com")).isFalse();
        byte[] v6 = "GET / HTTP/1.1\r\nHost: [2001:db8::1]:80\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(FlowNames.httpHost(v6, 0, v6.length)).isNull();
        byte[] noHost = "GET / HTTP/1.0\r\n\r\nHost: late.example\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(FlowNames.httpHost(noHost, 0, noHost.length)).isNull();
        byte[] query = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 7, 'E', 'x', 'a', 'm', 'p',
            'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
        assertThat(FlowNames.dnsQuery(query, 0, query.length)).isEqualTo("www.example.com");
        for (int cut = 0; cut < query.length - 4; cut++) {
            assertThat(FlowNames.dnsQuery(query, 0, cut)).as("cut at " + cut).isNull();
        }
        // on another port only a payload that reads wholly as one DNS message counts
        assertThat(FlowNames.strictDnsQuery(query, 0, query.length)).isEqualTo("www.example.com");
        byte[] trailing = Arrays.copyOf(query, query.length + 3);
        assertThat(FlowNames.strictDnsQuery(trailing, 0, trailing.length)).isNull();
        byte[] twoQuestions = query.clone();
        twoQuestions[5] = 2;
        assertThat(FlowNames.strictDnsQuery(twoQuestions, 0, twoQuestions.length)).isNull();
    }
}

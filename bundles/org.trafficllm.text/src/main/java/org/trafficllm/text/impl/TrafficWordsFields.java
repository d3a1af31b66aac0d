package org.trafficllm.text.impl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.trafficllm.api.text.TextFormatException;

/**
 * The field list TrafficLLM asked tshark 2.6.10 for, in its order, and the reader
 * that splits a traffic-words text back into {@code field -> value}. A value may
 * itself contain {@code ", "} (the date does), so the text is split only before a
 * known field name. Public for the benchmark, which asks tshark for the same fields.
 */
public final class TrafficWordsFields {
    /** The fields, in TrafficLLM's order and with its (tshark 2.6) names. */
    public static final List<String> NAMES = List.of("frame.encap_type", "frame.time", "frame.offset_shift",
            "frame.time_epoch", "frame.time_delta", "frame.time_relative", "frame.number", "frame.len", "frame.marked",
            "frame.protocols", "eth.dst", "eth.dst_resolved", "eth.src", "eth.src_resolved", "eth.type", "ip.version",
            "ip.hdr_len", "ip.dsfield", "ip.dsfield.dscp", "ip.dsfield.ecn", "ip.len", "ip.id", "ip.flags",
            "ip.flags.rb", "ip.flags.df", "ip.flags.mf", "ip.frag_offset", "ip.ttl", "ip.proto", "ip.checksum",
            "ip.checksum.status", "ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", "tcp.stream", "tcp.len", "tcp.seq",
            "tcp.nxtseq", "tcp.ack", "tcp.hdr_len", "tcp.flags", "tcp.flags.res", "tcp.flags.ns", "tcp.flags.cwr",
            "tcp.flags.ecn", "tcp.flags.urg", "tcp.flags.ack", "tcp.flags.push", "tcp.flags.reset", "tcp.flags.syn",
            "tcp.flags.fin", "tcp.flags.str", "tcp.window_size", "tcp.window_size_scalefactor", "tcp.checksum",
            "tcp.checksum.status", "tcp.urgent_pointer", "tcp.time_relative", "tcp.time_delta",
            "tcp.analysis.bytes_in_flight", "tcp.analysis.push_bytes_sent", "tcp.segment", "tcp.segment.count",
            "tcp.reassembled.length", "tcp.payload", "udp.srcport", "udp.dstport", "udp.length", "udp.checksum",
            "udp.checksum.status", "udp.stream", "data.len");

    /** TrafficLLM's names that tshark 4.0 renamed (and rejects, printing nothing at all). */
    public static final Map<String, String> TSHARK_4_NAMES = Map.of("tcp.flags.ns", "tcp.flags.ae", "tcp.flags.ecn",
            "tcp.flags.ece");

    private static final Pattern FIELD;

    static {
        StringBuilder alternatives = new StringBuilder();
        for (String name : NAMES) {
            if (alternatives.length() > 0) {
                alternatives.append('|');
            }
            alternatives.append(Pattern.quote(name));
        }
        FIELD = Pattern.compile("(?:^|, )(" + alternatives + "): ");
    }

    private TrafficWordsFields() {
    }

    /** The fields of one traffic-words text, in text order. */
    static Map<String, String> parse(CharSequence text) throws TextFormatException {
        Matcher m = FIELD.matcher(text);
        Map<String, String> fields = new LinkedHashMap<>();
        String name = null;
        int valueStart = 0;
        while (m.find()) {
            if (name == null && m.start() != 0) {
                throw new TextFormatException("traffic words must start with a field name, not \""
                        + text.subSequence(0, Math.min(m.start(), 40)) + "\"", 0);
            }
            if (name != null) {
                fields.put(name, text.subSequence(valueStart, m.start()).toString());
            }
            name = m.group(1);
            valueStart = m.end();
        }
        if (name == null) {
            throw new TextFormatException("no traffic-words field found", 0);
        }
        fields.put(name, text.subSequence(valueStart, text.length()).toString().trim());
        return fields;
    }
}

package org.trafficllm.dataset.layout.impl;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.PacketView;

/**
 * The identifiers a capture really holds, read with the real capture reader, to
 * check rendered text against: what masked text must not show and unmasked text
 * must.
 */
final class CaptureIdentifiers {
    /**
     * One packet's IPv4 addresses (innermost header; null for IPv6, which traffic
     * words do not show), MACs and ports as traffic words print them.
     */
    record Ends(String source, String destination, String sourceMac, String destinationMac, int sourcePort,
            int destinationPort) {
    }

    /** Every packet, by frame number. */
    final Map<Long, Ends> packets = new HashMap<>();
    /** The IPv4 addresses of the outer, the innermost and an ICMP error's quoted header. */
    final Set<String> addresses = new HashSet<>();
    /** Every Ethernet address. */
    final Set<String> macs = new HashSet<>();

    static CaptureIdentifiers of(CaptureService captures, Path file) throws CaptureException {
        CaptureIdentifiers ids = new CaptureIdentifiers();
        captures.read(file, ids::add);
        return ids;
    }

    private void add(PacketView p) {
        String sourceMac = null;
        String destinationMac = null;
        if (p.ethernetOffset() >= 0) {
            destinationMac = mac(p, p.ethernetOffset());
            sourceMac = mac(p, p.ethernetOffset() + 6);
            macs.add(destinationMac);
            macs.add(sourceMac);
        }
        int end = p.offset() + p.captureLength();
        addIpv4(p, p.outerNetworkOffset(), end);
        boolean ipv4 = p.ipVersion() == 4;
        if (ipv4) {
            addIpv4(p, p.networkOffset(), end);
            if (p.ipProtocol() == 1 && p.payloadOffset() >= 0) {
                addIpv4(p, p.payloadOffset(), end);
            }
        }
        packets.put(p.number(), new Ends(ipv4 ? ipv4(p, p.sourceAddressOffset()) : null,
                ipv4 ? ipv4(p, p.destinationAddressOffset()) : null, sourceMac, destinationMac, p.sourcePort(),
                p.destinationPort()));
    }

    /** The addresses of the IPv4 header at {@code ip} (outer, innermost or quoted by an ICMP error), when there is one. */
    private void addIpv4(PacketView p, int ip, int end) {
        if (ip >= 0 && ip + 20 <= end && (p.u8(ip) & 0xf0) == 0x40) {
            addresses.add(ipv4(p, ip + 12));
            addresses.add(ipv4(p, ip + 16));
        }
    }

    /**
     * Traffic words as field name to value, in order. A field starts after ", " with
     * a lower-case name and ": "; a value may hold ", " itself ({@code frame.time}).
     */
    static Map<String, String> fields(String trafficWords) {
        Map<String, String> fields = new LinkedHashMap<>();
        String name = null;
        int valueStart = 0;
        int at = 0;
        while (at >= 0) {
            int next = trafficWords.indexOf(", ", at == 0 ? 0 : at + 2);
            int nameStart = at == 0 ? 0 : at + 2;
            int colon = nameEnd(trafficWords, nameStart);
            if (colon > nameStart) {
                if (name != null) {
                    fields.put(name, trafficWords.substring(valueStart, at));
                }
                name = trafficWords.substring(nameStart, colon);
                valueStart = colon + 2;
            }
            at = next;
        }
        if (name != null) {
            fields.put(name, trafficWords.substring(valueStart));
        }
        return fields;
    }

    /** The end of a field name starting at {@code from} and followed by ": ", or -1. */
    private static int nameEnd(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) >= 'a' && text.charAt(i) <= 'z' || i > from
                && (text.charAt(i) == '.' || text.charAt(i) == '_' || Character.isDigit(text.charAt(i))))) {
            i++;
        }
        return i > from && text.startsWith(": ", i) ? i : -1;
    }

    private static String ipv4(PacketView p, int at) {
        return p.u8(at) + "." + p.u8(at + 1) + "." + p.u8(at + 2) + "." + p.u8(at + 3);
    }

    private static String mac(PacketView p, int at) {
        return HexFormat.ofDelimiter(":").formatHex(p.array(), at, at + 6);
    }
}

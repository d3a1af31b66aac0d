package org.trafficllm.text.impl;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.capture.dto.FrameDTO;
import org.trafficllm.api.text.ComposeSession;
import org.trafficllm.api.text.PacketComposer;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.ComposeOptions;

/**
 * Builds an Ethernet frame from traffic words. Header fields are taken as written;
 * lengths and checksums are recomputed from the bytes built. What traffic words do
 * not carry is filled in: TCP payload cut by the 1000-character limit, and all
 * UDP payload, become zero bytes up to the stated length; IP and TCP option bytes
 * become NOPs; without addresses (IPv6 has no traffic-words address fields)
 * placeholder-style addresses are used. Relative sequence numbers are written as
 * raw ones, so the frames read back with the same relative numbers when the
 * stream starts in the text. A field listing several headers (an ICMP error and
 * the UDP header it quotes) is read at its last value: the frame is the quoted packet.
 */
@Component(service = PacketComposer.class)
@TrafficRendererService(name = TrafficRendererService.TRAFFIC_WORDS)
public class TrafficWordsComposer implements PacketComposer {
    private static final int MAX_FRAME = 65535;

    @Override
    public ComposeSession open(ComposeOptions options) {
        long start = options == null ? 0 : options.startTimestampNanos;
        return text -> List.of(compose(text, start));
    }

    static FrameDTO compose(CharSequence text, long startNanos) throws TextFormatException {
        ComposedFields f = new ComposedFields(text);
        boolean tcp = f.has("tcp.srcport");
        boolean udp = f.has("udp.srcport");
        if (!tcp && !udp) {
            throw f.error("tcp.srcport", "traffic words without TCP or UDP fields");
        }
        boolean ipv6 = f.number("ip.version", 4) == 6;
        int ipHeader = ipv6 ? 40 : (int) clamp(f.number("ip.hdr_len", 20), 20, 60) & ~3;
        int l4Header = tcp ? (int) clamp(f.number("tcp.hdr_len", 20), 20, 60) & ~3 : 8;
        int payload = (int) clamp(tcp ? f.number("tcp.len", 0)
                : f.has("udp.length") ? f.number("udp.length", 8) - 8 : f.number("data.len", 0), 0, MAX_FRAME);
        int ipEnd = Math.min(MAX_FRAME, 14 + ipHeader + l4Header + payload);
        int frameLength = (int) clamp(f.number("frame.len", ipEnd), ipEnd, MAX_FRAME);
        byte[] frame = new byte[frameLength];

        f.mac("eth.dst", frame, 0, 2);
        f.mac("eth.src", frame, 6, 1);
        FrameRepair.put16(frame, 12, ipv6 ? 0x86dd : 0x0800);
        int ip = 14;
        if (ipv6) {
            writeIpv6(frame, ip, tcp ? 6 : 17);
        } else {
            writeIpv4(f, frame, ip, ipHeader, tcp ? 6 : 17);
        }
        int l4 = ip + ipHeader;
        FrameRepair.put16(frame, l4, f.port(tcp ? "tcp.srcport" : "udp.srcport"));
        FrameRepair.put16(frame, l4 + 2, f.port(tcp ? "tcp.dstport" : "udp.dstport"));
        if (tcp) {
            writeTcp(f, frame, l4, l4Header, ipEnd);
        }
        FrameRepair.repair(frame, ipEnd);

        FrameDTO dto = new FrameDTO();
        dto.linkType = 1;
        dto.data = frame;
        dto.originalLength = frameLength;
        dto.timestampNanos = f.nanos("frame.time_epoch", startNanos + f.nanos("frame.time_relative", 0));
        return dto;
    }

    private static void writeIpv4(ComposedFields f, byte[] frame, int ip, int header, int protocol)
            throws TextFormatException {
        frame[ip] = (byte) (0x40 | header / 4);
        frame[ip + 1] = (byte) f.number("ip.dsfield", 0);
        FrameRepair.put16(frame, ip + 4, (int) f.number("ip.id", 0));
        long flags = f.number("ip.flags", 0);
        // tshark 2.6 wrote the flags in place (0x00004000), 4.0 shifted down (0x02).
        int flagBits = (int) (flags > 7 ? flags & 0xe000 : flags << 13);
        FrameRepair.put16(frame, ip + 6, flagBits | (int) (f.number("ip.frag_offset", 0) & 0x1fff));
        frame[ip + 8] = (byte) f.number("ip.ttl", 64);
        // The transport fields decide: ip.proto may list an ICMP error's outer and quoted headers.
        frame[ip + 9] = (byte) protocol;
        f.ipv4("ip.src", frame, ip + 12, 1);
        f.ipv4("ip.dst", frame, ip + 16, 2);
        for (int i = ip + 20; i < ip + header; i++) {
            frame[i] = 1;
        }
    }

    private static void writeIpv6(byte[] frame, int ip, int protocol) {
        frame[ip] = 0x60;
        frame[ip + 6] = (byte) protocol;
        frame[ip + 7] = 64;
        byte[] documentation = {0x20, 0x01, 0x0d, (byte) 0xb8};
        System.arraycopy(documentation, 0, frame, ip + 8, 4);
        frame[ip + 23] = 1;
        System.arraycopy(documentation, 0, frame, ip + 24, 4);
        frame[ip + 39] = 2;
    }

    private static void writeTcp(ComposedFields f, byte[] frame, int l4, int header, int ipEnd)
            throws TextFormatException {
        writeU32(frame, l4 + 4, f.number("tcp.seq", 0));
        writeU32(frame, l4 + 8, f.number("tcp.ack", 0));
        int flags = (int) f.number("tcp.flags", 0) & 0x0fff;
        FrameRepair.put16(frame, l4 + 12, (header / 4) << 12 | flags);
        long window = f.number("tcp.window_size", 65535);
        long scale = f.number("tcp.window_size_scalefactor", -1);
        if (scale > 0 && (flags & 0x002) == 0) {
            window /= scale;
        }
        FrameRepair.put16(frame, l4 + 14, (int) clamp(window, 0, 65535));
        FrameRepair.put16(frame, l4 + 18, (int) f.number("tcp.urgent_pointer", 0));
        for (int i = l4 + 20; i < l4 + header; i++) {
            frame[i] = 1;
        }
        String text = f.text("tcp.payload");
        if (text != null) {
            // tshark 2.6 separated the bytes with colons, 4.0 does not: read both.
            String hex = text.replace(":", "");
            int at = l4 + header;
            for (int i = 0; i < hex.length() && at < ipEnd; i += 2, at++) {
                // The 1000-character cut can end inside a byte: its high digit is kept.
                int high = Character.digit(hex.charAt(i), 16);
                int low = i + 1 < hex.length() ? Character.digit(hex.charAt(i + 1), 16) : 0;
                if (high < 0 || low < 0) {
                    throw f.error("tcp.payload", "not hex: \"" + hex.substring(i, Math.min(i + 2, hex.length())) + "\"");
                }
                frame[at] = (byte) (high << 4 | low);
            }
        }
    }

    private static void writeU32(byte[] f, int at, long v) {
        f[at] = (byte) (v >> 24);
        f[at + 1] = (byte) (v >> 16);
        f[at + 2] = (byte) (v >> 8);
        f[at + 3] = (byte) v;
    }

    private static long clamp(long v, long low, long high) {
        return Math.max(low, Math.min(high, v));
    }
}

package org.trafficllm.text.impl;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * TrafficLLM's traffic words for one capture: tshark's fields in TrafficLLM's order
 * as {@code field: value} joined by {@code ", "}, empty fields left out, only for
 * TCP and UDP packets. Values are formatted as tshark 2.6.10 printed them (the
 * version behind TrafficLLM's released data: hex fields padded to eight digits,
 * the payload as colon-separated bytes cut to 1000 characters); the stateful ones (relative times,
 * stream indexes, relative sequence numbers, window scaling, bytes in flight)
 * follow tshark's TCP analysis over the packets seen so far.
 */
final class TrafficWordsSession implements PacketRenderSession {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMM ppd, yyyy HH:mm:ss", Locale.US);
    private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("zzz", Locale.US);
    private static final int SYN = 0x002;
    private static final int FIN = 0x001;
    private static final int ACK = 0x010;
    private static final int PSH = 0x008;

    private final int payloadHexLimit;
    private final ZoneId zone;
    private final Masking masking;
    private final ConversationKey probe = new ConversationKey();
    private final int[] ipHeaders = new int[2];
    private final Map<ConversationKey, TcpConversation> tcpStreams = new HashMap<>();
    private final Map<ConversationKey, Integer> udpStreams = new HashMap<>();
    private int nextTcpStream;
    /** Whether the current TCP packet's source is its conversation key's low end. */
    private boolean fromLow;
    private boolean started;
    private long firstNanos;
    private long previousNanos;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedDate;
    private String cachedZone;

    TrafficWordsSession(RenderOptions options) {
        RenderOptions o = options == null ? new RenderOptions() : options;
        this.payloadHexLimit = o.payloadHexLimit;
        this.zone = ZoneId.of(o.timeZone == null ? "UTC" : o.timeZone);
        this.masking = new Masking(o.mask);
    }

    @Override
    public Map<String, String> placeholders() {
        return masking.placeholders();
    }

    @Override
    public boolean render(PacketView p, StringBuilder out) {
        long ts = p.timestampNanos();
        if (!started) {
            started = true;
            firstNanos = ts;
            previousNanos = ts;
        }
        long delta = ts - previousNanos;
        previousNanos = ts;
        int protocol = p.ipProtocol();
        if (p.transportOffset() < 0 || (protocol != 6 && protocol != 17)) {
            int quoted = quotedUdp(p);
            if (quoted < 0) {
                return false;
            }
            renderQuotedUdp(p, out, ts, delta, quoted);
            return true;
        }
        boolean tcp = protocol == 6;
        TcpConversation conversation = tcp ? conversation(p, ts) : null;
        int payload = p.claimedPayloadLength();
        String application = payload <= 0 ? null
                : tcp ? ApplicationProtocols.of(p, fromLow ? conversation.low : conversation.high)
                : ApplicationProtocols.of(protocol, p.sourcePort(), p.destinationPort());
        boolean data = application == null && payload > 0;
        appendFrame(out, p, ts, delta, tcp, application, data);
        appendEthernet(out, p);
        if (p.ipVersion() == 4) {
            ipHeaders[0] = p.networkOffset();
            appendIpv4(out, p, 1);
        } else {
            // tshark's IPv6 dissector fills the shared ip.version field too.
            out.append(", ip.version: 6");
        }
        if (tcp) {
            appendTcp(out, p, ts, conversation);
        } else {
            appendUdp(out, p);
        }
        if (data) {
            out.append(", data.len: ").append(payload);
        }
        return true;
    }

    private void appendFrame(StringBuilder out, PacketView p, long ts, long delta, boolean tcp, String application,
            boolean data) {
        out.append("frame.encap_type: ").append(WiretapEncapsulation.of(p.linkType()));
        appendTimes(out, p, ts, delta);
        out.append(", frame.protocols: ");
        appendProtocols(out, p, tcp, application, data);
    }

    /** frame.time up to frame.marked. */
    private void appendTimes(StringBuilder out, PacketView p, long ts, long delta) {
        out.append(", frame.time: ");
        if (masking.times) {
            out.append(Masking.TIME);
        } else {
            appendDate(out, ts);
        }
        out.append(", frame.offset_shift: 0.000000000, frame.time_epoch: ");
        if (masking.times) {
            out.append(Masking.TIME);
        } else {
            Digits.seconds(out, ts);
        }
        out.append(", frame.time_delta: ");
        Digits.seconds(out, delta);
        out.append(", frame.time_relative: ");
        Digits.seconds(out, ts - firstNanos);
        out.append(", frame.number: ").append(p.number());
        out.append(", frame.len: ").append(p.originalLength());
        out.append(", frame.marked: 0");
    }

    private void appendDate(StringBuilder out, long ts) {
        long second = Math.floorDiv(ts, 1_000_000_000L);
        if (second != cachedSecond) {
            ZonedDateTime time = Instant.ofEpochSecond(second).atZone(zone);
            cachedDate = DATE.format(time);
            cachedZone = ZONE.format(time);
            cachedSecond = second;
        }
        out.append(cachedDate).append('.');
        Digits.nine(out, Math.floorMod(ts, 1_000_000_000L));
        out.append(' ').append(cachedZone);
    }

    private static void appendProtocols(StringBuilder out, PacketView p, boolean tcp, String application, boolean data) {
        out.append(WiretapEncapsulation.linkProtocols(p.linkType()));
        for (int i = 0; i < p.vlanCount(); i++) {
            out.append(":vlan:ethertype");
        }
        if (p.etherType() == 0x8864) {
            out.append(":pppoes:ppp");
        } else if (p.etherType() == 0x8847 || p.etherType() == 0x8848) {
            out.append(":mpls");
        }
        if (p.outerNetworkOffset() != p.networkOffset()) {
            int outer = p.outerNetworkOffset();
            boolean outerV4 = (p.u8(outer) & 0xf0) == 0x40;
            out.append(outerV4 ? ":ip" : ":ipv6");
            int outerProtocol = outerV4 ? p.u8(outer + 9) : p.u8(outer + 6);
            if (outerProtocol == 17) {
                out.append(":udp:gtp");
            }
        }
        out.append(p.ipVersion() == 4 ? ":ip" : ":ipv6");
        if (p.ipVersion() == 6) {
            appendIpv6Extensions(out, p);
        }
        out.append(tcp ? ":tcp" : ":udp");
        if (application != null && !application.isEmpty()) {
            out.append(':').append(application);
        } else if (data) {
            out.append(":data");
        }
    }

    private static void appendIpv6Extensions(StringBuilder out, PacketView p) {
        int next = p.u8(p.networkOffset() + 6);
        int pos = p.networkOffset() + 40;
        while (pos < p.transportOffset()) {
            int length;
            switch (next) {
                case 0: out.append(":ipv6.hopopts"); length = (p.u8(pos + 1) + 1) * 8; break;
                case 43: out.append(":ipv6.routing"); length = (p.u8(pos + 1) + 1) * 8; break;
                case 60: out.append(":ipv6.dstopts"); length = (p.u8(pos + 1) + 1) * 8; break;
                case 44: out.append(":ipv6.fraghdr"); length = 8; break;
                case 51: out.append(":ah"); length = (p.u8(pos + 1) + 2) * 4; break;
                default: return;
            }
            next = p.u8(pos);
            pos += length;
        }
    }

    private void appendEthernet(StringBuilder out, PacketView p) {
        int eth = p.ethernetOffset();
        if (eth < 0) {
            return;
        }
        byte[] a = p.array();
        out.append(", eth.dst: ");
        masking.appendMac(out, a, eth);
        out.append(", eth.dst_resolved: ");
        masking.appendMac(out, a, eth);
        out.append(", eth.src: ");
        masking.appendMac(out, a, eth + 6);
        out.append(", eth.src_resolved: ");
        masking.appendMac(out, a, eth + 6);
        out.append(", eth.type: ");
        Digits.hex(out, p.u16(eth + 12), 8);
    }

    private static final String[] IP_FIELDS = {"ip.version", "ip.hdr_len", "ip.dsfield", "ip.dsfield.dscp",
        "ip.dsfield.ecn", "ip.len", "ip.id", "ip.flags", "ip.flags.rb", "ip.flags.df", "ip.flags.mf", "ip.frag_offset",
        "ip.ttl", "ip.proto", "ip.checksum", "ip.checksum.status", "ip.src", "ip.dst"};

    /**
     * The ip.* fields of the IPv4 headers at {@code ipHeaders[0..count)}; with
     * several (an ICMP error quoting a header) each field lists them comma-separated,
     * outermost first, as tshark does.
     */
    private void appendIpv4(StringBuilder out, PacketView p, int count) {
        for (int field = 0; field < IP_FIELDS.length; field++) {
            out.append(", ").append(IP_FIELDS[field]).append(": ");
            for (int k = 0; k < count; k++) {
                if (k > 0) {
                    out.append(',');
                }
                appendIpValue(out, p, ipHeaders[k], field);
            }
        }
    }

    private void appendIpValue(StringBuilder out, PacketView p, int ip, int field) {
        int tos = p.u8(ip + 1);
        int flagsAndOffset = p.u16(ip + 6);
        switch (field) {
            case 0: out.append(p.u8(ip) >> 4); break;
            case 1: out.append((p.u8(ip) & 0xf) * 4); break;
            case 2: Digits.hex(out, tos, 8); break;
            case 3: out.append(tos >> 2); break;
            case 4: out.append(tos & 3); break;
            case 5: out.append(p.u16(ip + 2)); break;
            case 6: Digits.hex(out, p.u16(ip + 4), 8); break;
            case 7: Digits.hex(out, flagsAndOffset & 0xe000, 8); break;
            case 8: out.append(flagsAndOffset >> 15 & 1); break;
            case 9: out.append(flagsAndOffset >> 14 & 1); break;
            case 10: out.append(flagsAndOffset >> 13 & 1); break;
            case 11: out.append(flagsAndOffset & 0x1fff); break;
            case 12: out.append(p.u8(ip + 8)); break;
            case 13: out.append(p.u8(ip + 9)); break;
            case 14: Digits.hex(out, p.u16(ip + 10), 8); break;
            case 15: out.append(2); break;
            case 16: masking.appendIpv4(out, p.array(), ip + 12); break;
            default: masking.appendIpv4(out, p.array(), ip + 16); break;
        }
    }

    /** The stream of a TCP packet: a new one for the first packet of an address pair, or a SYN with a new ISN. */
    private TcpConversation conversation(PacketView p, long ts) {
        fromLow = probe.set(p);
        TcpConversation conversation = tcpStreams.get(probe);
        TcpConversation.Direction own = conversation == null ? null : fromLow ? conversation.low : conversation.high;
        if (conversation == null
                || ((p.tcpFlags() & (SYN | ACK)) == SYN && own.synSeen && own.initialSequence != p.tcpSequence())) {
            conversation = new TcpConversation(nextTcpStream++, ts);
            tcpStreams.put(probe.copy(), conversation);
        }
        return conversation;
    }

    private void appendTcp(StringBuilder out, PacketView p, long ts, TcpConversation conversation) {
        int tcp = p.transportOffset();
        int flags = p.tcpFlags();
        long seq = p.tcpSequence();
        long ack = p.tcpAcknowledgement();
        int length = p.claimedPayloadLength();
        TcpConversation.Direction dir = fromLow ? conversation.low : conversation.high;
        TcpConversation.Direction rev = fromLow ? conversation.high : conversation.low;
        boolean syn = (flags & SYN) != 0;
        boolean acking = (flags & ACK) != 0;
        if (syn) {
            dir.baseSet = true;
            dir.base = seq;
            dir.synSeen = true;
            dir.initialSequence = seq;
            int shift = windowScaleOption(p, tcp);
            dir.windowScale = shift >= 0 ? Math.min(shift, 14) : TcpConversation.SCALE_NONE;
            if (acking && (dir.windowScale == TcpConversation.SCALE_NONE || rev.windowScale == TcpConversation.SCALE_NONE)) {
                dir.windowScale = TcpConversation.SCALE_NONE;
                rev.windowScale = TcpConversation.SCALE_NONE;
            }
        } else if (!dir.baseSet) {
            dir.baseSet = true;
            dir.base = seq - 1;
        }
        if (acking && !rev.baseSet) {
            rev.baseSet = true;
            rev.base = ack - 1;
        }
        long relativeSeq = (seq - dir.base) & 0xffffffffL;
        long next = relativeSeq + length + (syn ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
        long relativeAck = acking ? (ack - rev.base) & 0xffffffffL : ack;

        out.append(", tcp.srcport: ");
        masking.appendPort(out, p.sourcePort());
        out.append(", tcp.dstport: ");
        masking.appendPort(out, p.destinationPort());
        out.append(", tcp.stream: ").append(conversation.stream);
        out.append(", tcp.len: ").append(length);
        out.append(", tcp.seq: ").append(relativeSeq);
        out.append(", tcp.nxtseq: ").append(next);
        out.append(", tcp.ack: ").append(relativeAck);
        out.append(", tcp.hdr_len: ").append(p.transportHeaderLength());
        out.append(", tcp.flags: ");
        Digits.hex(out, flags, 8);
        out.append(", tcp.flags.res: ").append(flags >> 9 & 7);
        out.append(", tcp.flags.ns: ").append(flags >> 8 & 1);
        out.append(", tcp.flags.cwr: ").append(flags >> 7 & 1);
        out.append(", tcp.flags.ecn: ").append(flags >> 6 & 1);
        out.append(", tcp.flags.urg: ").append(flags >> 5 & 1);
        out.append(", tcp.flags.ack: ").append(flags >> 4 & 1);
        out.append(", tcp.flags.push: ").append(flags >> 3 & 1);
        out.append(", tcp.flags.reset: ").append(flags >> 2 & 1);
        out.append(", tcp.flags.syn: ").append(flags >> 1 & 1);
        out.append(", tcp.flags.fin: ").append(flags & 1);
        out.append(", tcp.flags.str: ");
        appendFlagString(out, flags);
        int window = p.u16(tcp + 14);
        out.append(", tcp.window_size: ");
        if (syn) {
            out.append(window);
        } else if (dir.windowScale >= 0) {
            out.append((long) window << dir.windowScale);
            out.append(", tcp.window_size_scalefactor: ").append(1 << dir.windowScale);
        } else {
            out.append(window).append(", tcp.window_size_scalefactor: ").append(dir.windowScale);
        }
        out.append(", tcp.checksum: ");
        Digits.hex(out, p.u16(tcp + 16), 8);
        out.append(", tcp.checksum.status: 2, tcp.urgent_pointer: ").append(p.u16(tcp + 18));
        out.append(", tcp.time_relative: ");
        Digits.seconds(out, ts - conversation.firstNanos);
        out.append(", tcp.time_delta: ");
        Digits.seconds(out, ts - conversation.lastNanos);
        conversation.lastNanos = ts;

        if (dir.sent && relativeSeq > dir.highestNext) {
            // A segment before this one was not captured: tshark stops counting bytes in flight.
            dir.analysisValid = false;
        }
        if (!dir.sent || next - dir.highestNext > 0) {
            dir.highestNext = next;
            dir.sent = true;
        }
        if (length > 0 && dir.analysisValid) {
            appendInFlight(out, dir, rev, relativeSeq, next);
            dir.pushBytes += length;
            out.append(", tcp.analysis.push_bytes_sent: ").append(dir.pushBytes);
            if ((flags & PSH) != 0) {
                dir.pushBytes = 0;
            }
        }
        if (acking) {
            dir.acked = true;
            dir.lastAck = ack;
        }
        if (p.payloadLength() > 0 && payloadHexLimit > 0) {
            out.append(", tcp.payload: ");
            Digits.colonHex(out, p.array(), p.payloadOffset(), p.payloadLength(), payloadHexLimit);
        }
    }

    /**
     * Bytes sent and not yet acknowledged: the highest sequence sent minus the
     * peer's last acknowledgement (taken as relative 1 before the peer acked). A
     * segment resent after everything was acknowledged counts its own length.
     */
    private static void appendInFlight(StringBuilder out, TcpConversation.Direction dir,
            TcpConversation.Direction rev, long relativeSeq, long next) {
        long acknowledged = rev.acked ? (rev.lastAck - dir.base) & 0xffffffffL : 1;
        long inFlight = dir.highestNext - acknowledged;
        if (inFlight <= 0) {
            inFlight = next - relativeSeq;
        }
        out.append(", tcp.analysis.bytes_in_flight: ").append(inFlight);
    }

    /** tshark's flag string: reserved, NS, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN; a middle dot for each clear bit. */
    private static void appendFlagString(StringBuilder out, int flags) {
        final String letters = "RRRNCEUAPRSF";
        for (int bit = 11; bit >= 0; bit--) {
            out.append((flags & (1 << bit)) != 0 ? letters.charAt(11 - bit) : '\u00b7');
        }
    }

    /** The shift count of a window scale option, or -1 without one. */
    private static int windowScaleOption(PacketView p, int tcp) {
        int pos = tcp + 20;
        int end = tcp + p.transportHeaderLength();
        while (pos < end) {
            int kind = p.u8(pos);
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                pos++;
                continue;
            }
            if (pos + 1 >= end) {
                break;
            }
            int length = p.u8(pos + 1);
            if (kind == 3 && length == 3 && pos + 2 < end) {
                return p.u8(pos + 2);
            }
            if (length < 2) {
                break;
            }
            pos += length;
        }
        return -1;
    }

    private void appendUdp(StringBuilder out, PacketView p) {
        probe.set(p);
        appendUdpFields(out, p, p.transportOffset());
    }

    /** The udp.* fields of the UDP header at {@code udp}, in the conversation {@link #probe} holds. */
    private void appendUdpFields(StringBuilder out, PacketView p, int udp) {
        Integer stream = udpStreams.get(probe);
        if (stream == null) {
            stream = udpStreams.size();
            udpStreams.put(probe.copy(), stream);
        }
        out.append(", udp.srcport: ");
        masking.appendPort(out, p.u16(udp));
        out.append(", udp.dstport: ");
        masking.appendPort(out, p.u16(udp + 2));
        out.append(", udp.length: ").append(p.u16(udp + 4));
        out.append(", udp.checksum: ");
        Digits.hex(out, p.u16(udp + 6), 8);
        out.append(", udp.checksum.status: ").append(p.u16(udp + 6) == 0 ? 3 : 2);
        out.append(", udp.stream: ").append(stream);
    }

    /**
     * The offset of the IPv4 header an ICMP error (unreachable, source quench,
     * redirect, time exceeded, parameter problem) quotes, when it carries a UDP
     * header: tshark's {@code udp} filter matches such packets. -1 otherwise.
     */
    private static int quotedUdp(PacketView p) {
        if (p.ipVersion() != 4 || p.ipProtocol() != 1 || p.payloadOffset() < 0) {
            return -1;
        }
        int type = p.icmpType();
        if (type != 3 && type != 4 && type != 5 && type != 11 && type != 12) {
            return -1;
        }
        int ip = p.payloadOffset();
        int end = p.offset() + p.captureLength();
        if (ip + 20 > end || (p.u8(ip) & 0xf0) != 0x40 || p.u8(ip + 9) != 17) {
            return -1;
        }
        int ihl = (p.u8(ip) & 0xf) * 4;
        return ihl >= 20 && ip + ihl + 8 <= end && (p.u16(ip + 6) & 0x1fff) == 0 ? ip : -1;
    }

    private void renderQuotedUdp(PacketView p, StringBuilder out, long ts, long delta, int ip) {
        int udp = ip + (p.u8(ip) & 0xf) * 4;
        int sport = p.u16(udp);
        int dport = p.u16(udp + 2);
        String application = ApplicationProtocols.of(17, sport, dport);
        out.append("frame.encap_type: ").append(WiretapEncapsulation.of(p.linkType()));
        appendTimes(out, p, ts, delta);
        out.append(", frame.protocols: ").append(WiretapEncapsulation.linkProtocols(p.linkType()));
        for (int i = 0; i < p.vlanCount(); i++) {
            out.append(":vlan:ethertype");
        }
        out.append(":ip:icmp:ip:udp");
        if (application != null) {
            out.append(':').append(application);
        }
        appendEthernet(out, p);
        ipHeaders[0] = p.networkOffset();
        ipHeaders[1] = ip;
        appendIpv4(out, p, 2);
        probe.set(p, 4, ip + 12, ip + 16, sport, dport);
        appendUdpFields(out, p, udp);
    }
}

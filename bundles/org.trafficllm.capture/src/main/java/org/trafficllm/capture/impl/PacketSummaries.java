package org.trafficllm.capture.impl;

import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.PacketSummaryDTO;

/** Builds the one-row listing of a dissected packet. */
final class PacketSummaries {
    private static final String[] TCP_FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};

    private PacketSummaries() {
    }

    static PacketSummaryDTO of(PacketView p) {
        PacketSummaryDTO s = new PacketSummaryDTO();
        s.number = p.number();
        s.timestampNanos = p.timestampNanos();
        s.captureLength = p.captureLength();
        s.originalLength = p.originalLength();
        s.sourcePort = p.sourcePort();
        s.destinationPort = p.destinationPort();
        s.truncatedHeader = p.truncatedHeader() == null ? null : p.truncatedHeader().name();
        if (p.ipVersion() != 0) {
            int length = p.ipVersion() == 4 ? 4 : 16;
            s.source = AddressText.ip(p.array(), p.sourceAddressOffset(), length);
            s.destination = AddressText.ip(p.array(), p.destinationAddressOffset(), length);
            s.protocol = protocolName(p.ipProtocol(), p.ipVersion());
        } else {
            if (p.ethernetOffset() >= 0) {
                s.destination = AddressText.mac(p.array(), p.ethernetOffset());
                s.source = AddressText.mac(p.array(), p.ethernetOffset() + 6);
            }
            s.protocol = p.etherType() == 0x0806 ? "ARP"
                    : p.etherType() >= 0 ? String.format("0x%04x", p.etherType()) : "LLC";
        }
        s.info = info(p);
        return s;
    }

    static String protocolName(int protocol, int ipVersion) {
        switch (protocol) {
            case 6: return "TCP";
            case 17: return "UDP";
            case 1: return "ICMP";
            case 58: return "ICMPv6";
            case 2: return "IGMP";
            case 47: return "GRE";
            case 50: return "ESP";
            case 51: return "AH";
            case 132: return "SCTP";
            case -1: return ipVersion == 6 ? "IPv6" : "IPv4";
            default: return (ipVersion == 6 ? "IPv6" : "IPv4") + "/" + protocol;
        }
    }

    private static String info(PacketView p) {
        StringBuilder sb = new StringBuilder();
        if (p.tcpFlags() >= 0) {
            sb.append('[');
            int n = 0;
            for (int bit = 0; bit < TCP_FLAG_NAMES.length; bit++) {
                if ((p.tcpFlags() & (1 << bit)) != 0) {
                    sb.append(n++ > 0 ? "," : "").append(TCP_FLAG_NAMES[bit]);
                }
            }
            sb.append("] seq=").append(p.tcpSequence()).append(" ack=").append(p.tcpAcknowledgement())
                    .append(" len=").append(p.claimedPayloadLength());
        } else if (p.icmpType() >= 0) {
            sb.append("type=").append(p.icmpType()).append(" code=").append(p.icmpCode());
        } else if (p.transportOffset() >= 0) {
            sb.append("len=").append(p.claimedPayloadLength());
        }
        if (p.isFragment()) {
            sb.append(sb.length() > 0 ? " " : "").append("fragment offset=").append(p.fragmentOffset());
        }
        if (p.vlanCount() > 0) {
            sb.append(sb.length() > 0 ? " " : "").append("vlan=").append(p.vlanId(0));
        }
        return sb.toString();
    }
}

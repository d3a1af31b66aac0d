package org.trafficllm.capture.impl;

import org.trafficllm.api.capture.Header;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.PacketSummaryDTO;

/**
 * The dissector and its result in one reusable object: {@link #dissect} fills
 * offsets and decoded values over a frame's bytes without allocating, so one
 * instance serves a whole capture. Every read is bounded by the captured length;
 * a header cut short is recorded in {@link #truncatedHeader()} and ends dissection.
 */
final class DissectedFrame implements PacketView {
    private static final int MAX_VLAN_TAGS = 8;
    private static final int MAX_IPV6_EXTENSIONS = 16;
    private static final int MAX_TUNNELS = 3;
    private static final int GTP_USER_PORT = 2152;

    private byte[] array = new byte[0];
    private int offset;
    private int captureLength;
    private int originalLength;
    private int linkType;
    private long number;
    private long timestampNanos;

    private int end;
    private Header truncated;
    private int ethernetOffset;
    private int vlanCount;
    private final int[] vlanIds = new int[MAX_VLAN_TAGS];
    private int etherType;
    private int ipVersion;
    private int outerNetworkOffset;
    private int tunnels;
    private int networkOffset;
    private int ipHeaderLength;
    private int ipTotalLength;
    private int ipEnd;
    private int ipProtocol;
    private int sourceAddressOffset;
    private int destinationAddressOffset;
    private boolean fragment;
    private int fragmentOffset;
    private long fragmentId;
    private int transportOffset;
    private int transportHeaderLength;
    private int sourcePort;
    private int destinationPort;
    private int tcpFlags;
    private long tcpSequence;
    private long tcpAcknowledgement;
    private int icmpType;
    private int icmpCode;
    private int payloadOffset;
    private int payloadLength;
    private int claimedPayloadLength;

    /**
     * Dissects the frame in {@code bytes[off, off + caplen)}. The array is kept by
     * reference, not copied.
     */
    DissectedFrame dissect(byte[] bytes, int off, int caplen, int wireLength, int dlt, long frameNumber, long nanos) {
        array = bytes;
        offset = off;
        captureLength = caplen;
        originalLength = Math.max(wireLength, caplen);
        linkType = dlt;
        number = frameNumber;
        timestampNanos = nanos;
        reset();
        end = off + caplen;
        dissectLink(off);
        return this;
    }

    private void reset() {
        truncated = null;
        ethernetOffset = -1;
        vlanCount = 0;
        etherType = -1;
        ipVersion = 0;
        outerNetworkOffset = -1;
        tunnels = 0;
        networkOffset = -1;
        ipHeaderLength = 0;
        ipTotalLength = 0;
        ipEnd = 0;
        ipProtocol = -1;
        sourceAddressOffset = -1;
        destinationAddressOffset = -1;
        resetAboveIp();
    }

    /** Clears what lies above an IP header; an inner (tunnelled) IP header replaces all of it. */
    private void resetAboveIp() {
        fragment = false;
        fragmentOffset = 0;
        fragmentId = -1;
        transportOffset = -1;
        transportHeaderLength = 0;
        sourcePort = -1;
        destinationPort = -1;
        tcpFlags = -1;
        tcpSequence = -1;
        tcpAcknowledgement = -1;
        icmpType = -1;
        icmpCode = -1;
        payloadOffset = -1;
        payloadLength = 0;
        claimedPayloadLength = 0;
    }

    private boolean need(int pos, int length, Header header) {
        if (pos + length <= end) {
            return true;
        }
        truncated = header;
        return false;
    }

    private void dissectLink(int pos) {
        switch (linkType) {
            case LinkLayer.ETHERNET:
                if (need(pos, 14, Header.ETHERNET)) {
                    ethernetOffset = pos;
                    dissectEtherType(pos + 14, u16(pos + 12));
                }
                break;
            case LinkLayer.LINUX_SLL:
                if (need(pos, 16, Header.LINUX_SLL)) {
                    dissectEtherType(pos + 16, u16(pos + 14));
                }
                break;
            case LinkLayer.LINUX_SLL2:
                if (need(pos, 20, Header.LINUX_SLL2)) {
                    dissectEtherType(pos + 20, u16(pos));
                }
                break;
            case LinkLayer.NULL:
                if (need(pos, 4, Header.LOOPBACK)) {
                    // The family is in the byte order of the capturing host.
                    int family = array[pos] == 0 && array[pos + 1] == 0 ? (int) u32(pos) : Integer.reverseBytes((int) u32(pos));
                    dissectAddressFamily(pos + 4, family);
                }
                break;
            case LinkLayer.LOOP:
                if (need(pos, 4, Header.LOOPBACK)) {
                    dissectAddressFamily(pos + 4, (int) u32(pos));
                }
                break;
            case LinkLayer.RAW, LinkLayer.RAW_12, LinkLayer.RAW_14:
                dissectRawIp(pos);
                break;
            case LinkLayer.IPV4:
                dissectIpv4(pos);
                break;
            case LinkLayer.IPV6:
                dissectIpv6(pos);
                break;
            case LinkLayer.PPP, LinkLayer.PPP_HDLC:
                dissectPpp(pos);
                break;
            case LinkLayer.C_HDLC:
                if (pos + 4 <= end) {
                    dissectEtherType(pos + 4, u16(pos + 2));
                }
                break;
            case LinkLayer.PPI:
                dissectPpi(pos);
                break;
            default:
                break;
        }
    }

    /** Per-Packet Information: a little-endian header naming the link type of the frame after it. */
    private void dissectPpi(int pos) {
        if (!need(pos, 8, Header.PPI)) {
            return;
        }
        int length = (array[pos + 2] & 0xff) | (array[pos + 3] & 0xff) << 8;
        int inner = Integer.reverseBytes((int) u32(pos + 4));
        if (length < 8 || !need(pos, length, Header.PPI) || inner == LinkLayer.PPI) {
            return;
        }
        int outer = linkType;
        linkType = inner;
        try {
            dissectLink(pos + length);
        } finally {
            linkType = outer;
        }
    }

    private void dissectAddressFamily(int pos, int family) {
        if (family == 2) {
            dissectIpv4(pos);
        } else if (family == 10 || family == 24 || family == 28 || family == 30) {
            dissectIpv6(pos);
        }
    }

    private void dissectRawIp(int pos) {
        if (pos >= end) {
            return;
        }
        int version = (array[pos] >> 4) & 0xf;
        if (version == 4) {
            dissectIpv4(pos);
        } else if (version == 6) {
            dissectIpv6(pos);
        }
    }

    private void dissectPpp(int pos) {
        int p = pos;
        if (p + 4 <= end && ((array[p] & 0xff) == 0x0f || (array[p] & 0xff) == 0x8f) && array[p + 1] == 0) {
            // Cisco HDLC framing on a PPP link: address, control, EtherType.
            dissectEtherType(p + 4, u16(p + 2));
            return;
        }
        if (p + 2 <= end && (array[p] & 0xff) == 0xff && array[p + 1] == 0x03) {
            p += 2;
        }
        dissectPppProtocol(p);
    }

    private void dissectPppProtocol(int pos) {
        int p = pos;
        if (p >= end) {
            return;
        }
        int protocol;
        if ((array[p] & 1) != 0) {
            protocol = array[p] & 0xff;
            p += 1;
        } else if (p + 2 <= end) {
            protocol = u16(p);
            p += 2;
        } else {
            return;
        }
        if (protocol == 0x21) {
            dissectIpv4(p);
        } else if (protocol == 0x57) {
            dissectIpv6(p);
        }
    }

    private void dissectEtherType(int pos, int type) {
        int p = pos;
        int t = type;
        while (t == 0x8100 || t == 0x88a8 || t == 0x9100) {
            if (!need(p, 4, Header.VLAN)) {
                return;
            }
            if (vlanCount < MAX_VLAN_TAGS) {
                vlanIds[vlanCount++] = u16(p) & 0x0fff;
            }
            t = u16(p + 2);
            p += 4;
        }
        if (t < 0x0600) {
            // An 802.3 length field, not an EtherType: LLC follows.
            return;
        }
        etherType = t;
        if (t == 0x0800) {
            dissectIpv4(p);
        } else if (t == 0x86dd) {
            dissectIpv6(p);
        } else if (t == 0x8864) {
            // PPPoE session: version/type, code, session id, length, then a PPP protocol field.
            if (need(p, 6, Header.PPPOE)) {
                dissectPppProtocol(p + 6);
            }
        } else if (t == 0x8847 || t == 0x8848) {
            dissectMpls(p);
        }
    }

    private void dissectMpls(int pos) {
        int p = pos;
        for (int i = 0; i < MAX_VLAN_TAGS; i++) {
            if (!need(p, 4, Header.MPLS)) {
                return;
            }
            boolean bottom = (array[p + 2] & 1) != 0;
            p += 4;
            if (bottom) {
                dissectRawIp(p);
                return;
            }
        }
    }

    private void dissectIpv4(int pos) {
        if (!need(pos, 20, Header.IPV4)) {
            return;
        }
        int first = array[pos] & 0xff;
        if (first >> 4 != 4) {
            return;
        }
        int ihl = (first & 0xf) * 4;
        if (ihl < 20) {
            return;
        }
        enterIp(pos);
        ipVersion = 4;
        networkOffset = pos;
        ipHeaderLength = ihl;
        ipTotalLength = u16(pos + 2);
        ipProtocol = array[pos + 9] & 0xff;
        sourceAddressOffset = pos + 12;
        destinationAddressOffset = pos + 16;
        int flagsAndOffset = u16(pos + 6);
        fragmentOffset = (flagsAndOffset & 0x1fff) * 8;
        fragment = (flagsAndOffset & 0x2000) != 0 || fragmentOffset != 0;
        fragmentId = u16(pos + 4);
        if (!need(pos, ihl, Header.IPV4)) {
            return;
        }
        // A total length of 0 comes from segmentation offload on the capturing host: trust the capture.
        ipEnd = ipTotalLength >= ihl ? Math.min(end, pos + ipTotalLength) : end;
        if (fragmentOffset == 0) {
            dissectTransport(pos + ihl, ipTotalLength >= ihl ? pos + ipTotalLength : end);
        }
    }

    private void dissectIpv6(int pos) {
        if (!need(pos, 40, Header.IPV6)) {
            return;
        }
        if ((array[pos] & 0xf0) != 0x60) {
            return;
        }
        enterIp(pos);
        ipVersion = 6;
        networkOffset = pos;
        ipHeaderLength = 40;
        int payload = u16(pos + 4);
        ipTotalLength = 40 + payload;
        sourceAddressOffset = pos + 8;
        destinationAddressOffset = pos + 24;
        // Payload length 0 means a jumbogram or offload: trust the capture.
        int claimedEnd = payload == 0 ? end : pos + 40 + payload;
        ipEnd = Math.min(end, claimedEnd);
        int next = array[pos + 6] & 0xff;
        int p = pos + 40;
        for (int i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
            int length;
            switch (next) {
                case 0, 43, 60, 135, 139, 140:
                    if (!need(p, 8, Header.IPV6_EXTENSION)) {
                        ipProtocol = next;
                        return;
                    }
                    length = ((array[p + 1] & 0xff) + 1) * 8;
                    break;
                case 44:
                    if (!need(p, 8, Header.IPV6_EXTENSION)) {
                        ipProtocol = next;
                        return;
                    }
                    length = 8;
                    int fo = u16(p + 2);
                    fragmentOffset = fo & 0xfff8;
                    fragment = true;
                    fragmentId = u32(p + 4);
                    break;
                case 51:
                    if (!need(p, 8, Header.IPV6_EXTENSION)) {
                        ipProtocol = next;
                        return;
                    }
                    length = ((array[p + 1] & 0xff) + 2) * 4;
                    break;
                default:
                    ipProtocol = next;
                    if (fragmentOffset == 0) {
                        dissectTransport(p, claimedEnd);
                    }
                    return;
            }
            if (!need(p, length, Header.IPV6_EXTENSION)) {
                ipProtocol = next;
                return;
            }
            next = array[p] & 0xff;
            p += length;
        }
        ipProtocol = next;
    }

    private void enterIp(int pos) {
        if (outerNetworkOffset < 0) {
            outerNetworkOffset = pos;
            if (etherType < 0) {
                // Links without an EtherType (raw IP, NULL, PPP) imply the one of the packet.
                etherType = (array[pos] & 0xf0) == 0x40 ? 0x0800 : 0x86dd;
            }
        } else {
            tunnels++;
            resetAboveIp();
        }
    }

    private void dissectTransport(int pos, int claimedEnd) {
        switch (ipProtocol) {
            case 4:
                if (tunnels < MAX_TUNNELS) {
                    dissectIpv4(pos);
                }
                break;
            case 41:
                if (tunnels < MAX_TUNNELS) {
                    dissectIpv6(pos);
                }
                break;
            case 6:
                dissectTcp(pos, claimedEnd);
                break;
            case 17:
                dissectUdp(pos, claimedEnd);
                break;
            case 1:
                dissectIcmp(pos, claimedEnd, Header.ICMP);
                break;
            case 58:
                dissectIcmp(pos, claimedEnd, Header.ICMPV6);
                break;
            default:
                break;
        }
    }

    private void dissectTcp(int pos, int claimedEnd) {
        if (!need(pos, 20, Header.TCP)) {
            return;
        }
        transportOffset = pos;
        sourcePort = u16(pos);
        destinationPort = u16(pos + 2);
        tcpSequence = u32(pos + 4);
        tcpAcknowledgement = u32(pos + 8);
        tcpFlags = u16(pos + 12) & 0x0fff;
        int dataOffset = ((array[pos + 12] & 0xf0) >> 4) * 4;
        if (dataOffset < 20) {
            transportHeaderLength = 20;
            return;
        }
        transportHeaderLength = dataOffset;
        if (!need(pos, dataOffset, Header.TCP)) {
            return;
        }
        setPayload(pos + dataOffset, claimedEnd);
    }

    private void dissectUdp(int pos, int claimedEnd) {
        if (!need(pos, 8, Header.UDP)) {
            return;
        }
        transportOffset = pos;
        transportHeaderLength = 8;
        sourcePort = u16(pos);
        destinationPort = u16(pos + 2);
        setPayload(pos + 8, claimedEnd);
        if ((sourcePort == GTP_USER_PORT || destinationPort == GTP_USER_PORT) && tunnels < MAX_TUNNELS) {
            dissectGtpUser(pos + 8);
        }
    }

    /**
     * GTPv1-U carrying a user packet (G-PDU): the inner IP packet replaces this
     * one as network layer. Anything else stays plain UDP payload.
     */
    private void dissectGtpUser(int pos) {
        if (pos + 8 > ipEnd) {
            return;
        }
        int flags = array[pos] & 0xff;
        if ((flags & 0xf0) != 0x30 || (array[pos + 1] & 0xff) != 0xff) {
            return;
        }
        int p = pos + 8;
        if ((flags & 0x07) != 0) {
            if (p + 4 > ipEnd) {
                return;
            }
            int next = (flags & 0x04) != 0 ? array[p + 3] & 0xff : 0;
            p += 4;
            for (int i = 0; next != 0 && i < 8; i++) {
                if (p + 1 > ipEnd) {
                    return;
                }
                int length = (array[p] & 0xff) * 4;
                if (length == 0 || p + length > ipEnd) {
                    return;
                }
                next = array[p + length - 1] & 0xff;
                p += length;
            }
        }
        if (p >= ipEnd) {
            return;
        }
        int version = (array[p] >> 4) & 0xf;
        if (version == 4) {
            dissectIpv4(p);
        } else if (version == 6) {
            dissectIpv6(p);
        }
    }

    private void dissectIcmp(int pos, int claimedEnd, Header header) {
        if (!need(pos, 4, header)) {
            return;
        }
        transportOffset = pos;
        icmpType = array[pos] & 0xff;
        icmpCode = array[pos + 1] & 0xff;
        transportHeaderLength = Math.min(8, end - pos);
        setPayload(pos + transportHeaderLength, claimedEnd);
    }

    private void setPayload(int pos, int claimedEnd) {
        payloadOffset = pos;
        payloadLength = Math.max(0, ipEnd - pos);
        claimedPayloadLength = Math.max(0, claimedEnd - pos);
    }

    long fragmentId() {
        return fragmentId;
    }

    @Override
    public long number() {
        return number;
    }

    @Override
    public long timestampNanos() {
        return timestampNanos;
    }

    @Override
    public int captureLength() {
        return captureLength;
    }

    @Override
    public int originalLength() {
        return originalLength;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public byte[] array() {
        return array;
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int u8(int index) {
        return array[index] & 0xff;
    }

    @Override
    public int u16(int index) {
        return ((array[index] & 0xff) << 8) | (array[index + 1] & 0xff);
    }

    @Override
    public long u32(int index) {
        return ((long) (array[index] & 0xff) << 24) | ((array[index + 1] & 0xff) << 16)
                | ((array[index + 2] & 0xff) << 8) | (array[index + 3] & 0xff);
    }

    @Override
    public Header truncatedHeader() {
        return truncated;
    }

    @Override
    public int ethernetOffset() {
        return ethernetOffset;
    }

    @Override
    public int vlanCount() {
        return vlanCount;
    }

    @Override
    public int vlanId(int index) {
        if (index < 0 || index >= vlanCount) {
            throw new IndexOutOfBoundsException("VLAN tag " + index + " of " + vlanCount);
        }
        return vlanIds[index];
    }

    @Override
    public int etherType() {
        return etherType;
    }

    @Override
    public int ipVersion() {
        return ipVersion;
    }

    @Override
    public int networkOffset() {
        return networkOffset;
    }

    @Override
    public int outerNetworkOffset() {
        return outerNetworkOffset;
    }

    @Override
    public int ipHeaderLength() {
        return ipHeaderLength;
    }

    @Override
    public int ipTotalLength() {
        return ipTotalLength;
    }

    @Override
    public int ipProtocol() {
        return ipProtocol;
    }

    @Override
    public int sourceAddressOffset() {
        return sourceAddressOffset;
    }

    @Override
    public int destinationAddressOffset() {
        return destinationAddressOffset;
    }

    @Override
    public boolean isFragment() {
        return fragment;
    }

    @Override
    public int fragmentOffset() {
        return fragmentOffset;
    }

    @Override
    public int transportOffset() {
        return transportOffset;
    }

    @Override
    public int transportHeaderLength() {
        return transportHeaderLength;
    }

    @Override
    public int sourcePort() {
        return sourcePort;
    }

    @Override
    public int destinationPort() {
        return destinationPort;
    }

    @Override
    public int tcpFlags() {
        return tcpFlags;
    }

    @Override
    public long tcpSequence() {
        return tcpSequence;
    }

    @Override
    public long tcpAcknowledgement() {
        return tcpAcknowledgement;
    }

    @Override
    public int icmpType() {
        return icmpType;
    }

    @Override
    public int icmpCode() {
        return icmpCode;
    }

    @Override
    public int payloadOffset() {
        return payloadOffset;
    }

    @Override
    public int payloadLength() {
        return payloadLength;
    }

    @Override
    public int claimedPayloadLength() {
        return claimedPayloadLength;
    }

    @Override
    public PacketView detach() {
        byte[] copy = new byte[captureLength];
        System.arraycopy(array, offset, copy, 0, captureLength);
        return new DissectedFrame().dissect(copy, 0, captureLength, originalLength, linkType, number, timestampNanos);
    }

    @Override
    public PacketSummaryDTO summary() {
        return PacketSummaries.of(this);
    }

    @Override
    public String toString() {
        PacketSummaryDTO s = summary();
        return "#" + s.number + " " + s.protocol + " " + s.source + (s.sourcePort >= 0 ? ":" + s.sourcePort : "")
                + " > " + s.destination + (s.destinationPort >= 0 ? ":" + s.destinationPort : "") + " " + s.info;
    }
}

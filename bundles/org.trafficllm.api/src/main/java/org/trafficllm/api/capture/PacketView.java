package org.trafficllm.api.capture;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.capture.dto.PacketSummaryDTO;

/**
 * A dissected frame: offsets and decoded header values over the frame's raw bytes.
 *
 * <p>A view handed to a {@link PacketHandler} is a flyweight: the reader reuses it
 * (and may reuse its byte array) for the next frame, so it is valid only during the
 * call. {@link #detach()} returns an independent copy that stays valid.
 *
 * <p>All offsets are indexes into {@link #array()}, already including
 * {@link #offset()}; an offset of {@code -1} means the header is absent. Multi-byte
 * readers use network byte order and return unsigned values.
 */
@ProviderType
public interface PacketView {

    /** Position of this frame in its capture, counting from 1. */
    long number();

    /** Capture time in nanoseconds since the Unix epoch. */
    long timestampNanos();

    /** Bytes captured and present in {@link #array()}. */
    int captureLength();

    /** Length of the frame on the wire; at least {@link #captureLength()}. */
    int originalLength();

    /** The capture's link type (a DLT/LINKTYPE number, e.g. 1 for Ethernet). */
    int linkType();

    /**
     * The bytes holding the frame, from {@link #offset()} for
     * {@link #captureLength()} bytes. Read only; never modify it.
     */
    byte[] array();

    /** Index in {@link #array()} of the frame's first byte. */
    int offset();

    /** The unsigned byte at {@code index} of {@link #array()}. */
    int u8(int index);

    /** The unsigned big-endian 16-bit value at {@code index} of {@link #array()}. */
    int u16(int index);

    /** The unsigned big-endian 32-bit value at {@code index} of {@link #array()}. */
    long u32(int index);

    /**
     * The header the captured bytes end inside of, or {@code null} when every
     * header the dissector reached is complete. Dissection stops at that header.
     */
    Header truncatedHeader();

    /** Offset of the Ethernet header (destination MAC first), or -1. */
    int ethernetOffset();

    /** Number of VLAN tags between the link header and the network header. */
    int vlanCount();

    /** The 12-bit VLAN id of tag {@code index}, outermost first. */
    int vlanId(int index);

    /**
     * The EtherType after link and VLAN headers (0x0800, 0x86dd, 0x0806, 0x8864
     * PPPoE, 0x8847 MPLS...); for links without one (raw IP, NULL, PPP) the
     * EtherType of the IP version found; -1 when unknown or for 802.3/LLC frames.
     */
    int etherType();

    /** 4 or 6 when an IP header was found, otherwise 0. */
    int ipVersion();

    /**
     * Offset of the IP header, or -1. When IP is tunnelled (IP in IP, IPv6 in IPv4,
     * GTP-U) this is the innermost IP header, the one the transport fields,
     * addresses and flows refer to.
     */
    int networkOffset();

    /**
     * Offset of the outermost IP header; equal to {@link #networkOffset()} unless
     * the packet is tunnelled. -1 without IP.
     */
    int outerNetworkOffset();

    /** IPv4 header length with options, or 40 for IPv6 (extension headers excluded). */
    int ipHeaderLength();

    /**
     * Total IP length claimed by the header: IPv4 total length, or 40 + IPv6
     * payload length. 0 when there is no IP header.
     */
    int ipTotalLength();

    /**
     * The upper-layer protocol number: IPv4 protocol, or for IPv6 the next header
     * after the extension headers (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6...). -1 without IP.
     */
    int ipProtocol();

    /** Offset of the source address (4 or 16 bytes by {@link #ipVersion()}), or -1. */
    int sourceAddressOffset();

    /** Offset of the destination address, or -1. */
    int destinationAddressOffset();

    /** True for an IPv4 or IPv6 fragment (more fragments follow, or offset above 0). */
    boolean isFragment();

    /** Fragment offset in bytes, 0 when not a fragment. */
    int fragmentOffset();

    /** Offset of the transport header (TCP, UDP, ICMP, ICMPv6), or -1. */
    int transportOffset();

    /** Length of the transport header (TCP with options), or 0 without one. */
    int transportHeaderLength();

    /** TCP or UDP source port, or -1. */
    int sourcePort();

    /** TCP or UDP destination port, or -1. */
    int destinationPort();

    /** TCP flags (the low 12 bits of TCP byte 12..13: NS/AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN), or -1. */
    int tcpFlags();

    /** Raw TCP sequence number, or -1. */
    long tcpSequence();

    /** Raw TCP acknowledgement number, or -1. */
    long tcpAcknowledgement();

    /** ICMP or ICMPv6 type, or -1. */
    int icmpType();

    /** ICMP or ICMPv6 code, or -1. */
    int icmpCode();

    /** Offset of the transport payload, or -1 when there is no transport header. */
    int payloadOffset();

    /**
     * Payload bytes present in the capture after the transport header, bounded by
     * the IP length (so Ethernet padding is excluded).
     */
    int payloadLength();

    /**
     * Payload length the headers claim (IP length minus headers); larger than
     * {@link #payloadLength()} when the frame was cut by the snap length.
     */
    int claimedPayloadLength();

    /** An independent copy of this view and its bytes, valid after the callback returns. */
    PacketView detach();

    /** A one-row summary for tables and listings. */
    PacketSummaryDTO summary();
}

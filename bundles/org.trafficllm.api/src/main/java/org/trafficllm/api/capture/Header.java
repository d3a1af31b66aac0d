package org.trafficllm.api.capture;

/**
 * The headers the dissector understands, outermost first. A {@link PacketView}
 * names one of them when the frame ends inside that header.
 */
public enum Header {
    /** Ethernet II (DLT 1). */
    ETHERNET,
    /** Linux cooked capture v1 (DLT 113). */
    LINUX_SLL,
    /** Linux cooked capture v2 (DLT 276). */
    LINUX_SLL2,
    /** BSD loopback / NULL (DLT 0) and OpenBSD LOOP (DLT 108). */
    LOOPBACK,
    /** Per-Packet Information (DLT 192), in front of another link header. */
    PPI,
    /** An 802.1Q, 802.1ad or legacy 0x9100 VLAN tag. */
    VLAN,
    /** A PPPoE session header. */
    PPPOE,
    /** An MPLS label stack entry. */
    MPLS,
    /** IPv4, including options. */
    IPV4,
    /** The fixed IPv6 header. */
    IPV6,
    /** An IPv6 extension header (hop-by-hop, routing, fragment, destination options, AH). */
    IPV6_EXTENSION,
    /** TCP, including options. */
    TCP,
    /** UDP. */
    UDP,
    /** ICMP for IPv4. */
    ICMP,
    /** ICMPv6. */
    ICMPV6
}

package org.trafficllm.text.impl;

import org.trafficllm.api.capture.PacketView;

/**
 * The application protocol tshark 4.0 names for a TCP or UDP port in its default
 * configuration. tshark also looks at content (heuristic dissectors) and follows
 * conversations, which a port table cannot; the README gives the agreement this
 * reaches.
 */
final class ApplicationProtocols {
    private static final String[] TCP = new String[65536];
    private static final String[] UDP = new String[65536];

    static {
        tcp("ftp", 21);
        tcp("ssh", 22);
        tcp("telnet", 23);
        tcp("smtp", 25, 587);
        tcp("dns", 53);
        tcp("http", 80, 3128, 8080);
        tcp("pop", 110);
        tcp("nntp", 119);
        tcp("nbss", 139, 445);
        tcp("imap", 143);
        tcp("bgp", 179);
        tcp("ldap", 389);
        tcp("tls", 443, 465, 636, 853, 993, 995, 5061, 8443);
        tcp("mbtcp", 502);
        tcp("rtsp", 554);
        tcp("socks", 1080);
        tcp("tds", 1433);
        tcp("pptp", 1723);
        tcp("mqtt", 1883);
        tcp("mysql", 3306);
        tcp("tpkt", 3389);
        tcp("sip", 5060);
        tcp("xmpp", 5222, 5269);
        tcp("pgsql", 5432);
        tcp("vnc", 5900);
        udp("dns", 53);
        udp("dhcp", 67, 68);
        udp("tftp", 69);
        udp("ntp", 123);
        udp("nbns", 137);
        udp("nbdgm", 138);
        udp("snmp", 161, 162);
        udp("quic", 443);
        udp("isakmp", 500);
        udp("syslog", 514);
        udp("rip", 520);
        udp("dhcpv6", 546, 547);
        udp("openvpn", 1194);
        udp("radius", 1812, 1813);
        udp("ssdp", 1900);
        udp("gtp", 2123, 2152);
        udp("stun", 3478);
        udp("teredo", 3544);
        udp("vxlan", 4789);
        udp("sip", 5060);
        udp("mdns", 5353);
        udp("llmnr", 5355);
    }

    private ApplicationProtocols() {
    }

    private static void tcp(String name, int... ports) {
        for (int port : ports) {
            TCP[port] = name;
        }
    }

    private static void udp(String name, int... ports) {
        for (int port : ports) {
            UDP[port] = name;
        }
    }

    /** The protocol for a segment between the two ports (the lower port first, as tshark tries it), or null. */
    static String of(int ipProtocol, int sourcePort, int destinationPort) {
        String[] table = ipProtocol == 6 ? TCP : UDP;
        int first = Math.min(sourcePort, destinationPort);
        int second = Math.max(sourcePort, destinationPort);
        String name = first >= 0 ? table[first] : null;
        return name != null || second < 0 ? name : table[second];
    }

    /** Marks a segment that continues a message tshark reassembles: no protocol, no data. */
    static final String CONTINUATION = "";

    private static final String[] HTTP_STARTS = {"HTTP/", "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ",
        "CONNECT ", "PATCH ", "TRACE "};

    /**
     * The protocols tshark lists for the payload of {@code p}: the port's
     * protocol, except that HTTP over TCP is named only on a segment starting a
     * request or response, and TLS once per record completed in the segment (the
     * records' remainder carried over in {@code direction}). Otherwise the segment
     * continues a message tshark reassembles: {@link #CONTINUATION}.
     */
    static String of(PacketView p, TcpConversation.Direction direction) {
        String name = of(p.ipProtocol(), p.sourcePort(), p.destinationPort());
        if (name == null || p.ipProtocol() != 6) {
            return name;
        }
        if (name.equals("http")) {
            return startsHttp(p) ? name : CONTINUATION;
        }
        if (name.equals("tls")) {
            return tlsRecords(p, direction);
        }
        return name;
    }

    private static boolean startsHttp(PacketView p) {
        int at = p.payloadOffset();
        for (String start : HTTP_STARTS) {
            if (p.payloadLength() >= start.length()) {
                boolean match = true;
                for (int i = 0; i < start.length() && match; i++) {
                    match = p.u8(at + i) == start.charAt(i);
                }
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String tlsRecords(PacketView p, TcpConversation.Direction direction) {
        int at = p.payloadOffset();
        int end = at + p.payloadLength();
        if (direction.tlsNextSequence != p.tcpSequence()) {
            direction.tlsRemaining = 0;
        }
        direction.tlsNextSequence = (p.tcpSequence() + p.claimedPayloadLength()) & 0xffffffffL;
        int completed = 0;
        if (direction.tlsRemaining > 0) {
            long take = Math.min(direction.tlsRemaining, end - at);
            direction.tlsRemaining -= take;
            at += (int) take;
            if (direction.tlsRemaining == 0) {
                completed++;
            }
        }
        while (at + 5 <= end) {
            int type = p.u8(at);
            if (type < 20 || type > 24 || p.u8(at + 1) != 3 || p.u8(at + 2) > 4) {
                direction.tlsRemaining = 0;
                break;
            }
            long record = 5L + p.u16(at + 3);
            if (at + record <= end) {
                completed++;
                at += (int) record;
            } else {
                direction.tlsRemaining = record - (end - at);
                break;
            }
        }
        if (completed == 0) {
            return CONTINUATION;
        }
        StringBuilder names = new StringBuilder("tls");
        for (int i = 1; i < completed; i++) {
            names.append(":tls");
        }
        return names.toString();
    }
}

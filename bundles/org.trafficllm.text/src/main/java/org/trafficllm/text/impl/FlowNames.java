package org.trafficllm.text.impl;

import java.util.List;

import org.trafficllm.api.capture.PacketView;

/**
 * The name a flow asks for in clear, as a DPI engine reads it: the server name of a TLS
 * ClientHello (over TCP, or in a QUIC Initial, whose protection keys are public), the
 * {@code Host} of an HTTP request, or the query name of a DNS message (on ports 53 and
 * 5353, or on any port when the whole payload reads as one DNS message). The first one
 * found among the flow's kept packets counts. Names that are IP literals, and DNS
 * reverse look-ups (which spell an address), and multicast DNS names of single hosts
 * are left out when IP addresses are masked; LLMNR and NetBIOS names (local host names)
 * are never read; a host's port is never kept. Nothing here throws on bad bytes.
 */
final class FlowNames {
    static final String TLS_FIELD = "tls.handshake.extensions_server_name";
    static final String HTTP_FIELD = "http.host";
    static final String DNS_FIELD = "dns.qry.name";
    private static final String[] METHODS = {"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ",
        "PATCH "};

    /** A name and the tshark field that holds it. */
    record Name(String field, String value) {
    }

    private FlowNames() {
    }

    /** The flow's name, or null; {@code maskIps}: leave out names that spell an IP address. */
    static Name of(List<PacketView> packets, boolean maskIps) {
        try {
            Name name = find(packets);
            if (name == null || maskIps && (spellsAddress(name.value) || namesALocalHost(name.value))) {
                return null;
            }
            return name;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Name find(List<PacketView> packets) {
        boolean udp = false;
        for (int i = 0; i < packets.size(); i++) {
            PacketView p = packets.get(i);
            if (p.payloadOffset() < 0 || p.payloadLength() == 0) {
                continue;
            }
            if (p.ipProtocol() == 6) {
                if (TlsServerName.startsClientHello(p)) {
                    String tls = TlsServerName.ofHelloAt(packets, i);
                    if (tls != null) {
                        return new Name(TLS_FIELD, tls);
                    }
                    continue;
                }
                String host = httpHost(p.array(), p.payloadOffset(), p.payloadLength());
                if (host != null) {
                    return new Name(HTTP_FIELD, host);
                }
            } else if (p.ipProtocol() == 17) {
                udp = true;
                boolean dnsPort = isDnsPort(p.sourcePort()) || isDnsPort(p.destinationPort());
                boolean localNames = isLocalNamePort(p.sourcePort()) || isLocalNamePort(p.destinationPort());
                String query = dnsPort ? dnsQuery(p.array(), p.payloadOffset(), p.payloadLength())
                        : localNames ? null : strictDnsQuery(p.array(), p.payloadOffset(), p.payloadLength());
                if (query != null) {
                    return new Name(DNS_FIELD, query);
                }
            }
        }
        if (udp) {
            byte[] hello = QuicInitial.clientHello(packets);
            String name = hello == null ? null : TlsServerName.helloServerName(hello, 0, hello.length);
            if (name != null) {
                return new Name(TLS_FIELD, name);
            }
        }
        return null;
    }

    /** DNS and multicast DNS: any question is taken; elsewhere only a payload that reads wholly as DNS. */
    private static boolean isDnsPort(int port) {
        return port == 53 || port == 5353;
    }

    /**
     * LLMNR (5355) and NetBIOS name service (137) look like DNS but ask for the names of
     * hosts on the local network: identifiers of the capture, never read as names here.
     */
    private static boolean isLocalNamePort(int port) {
        return port == 5355 || port == 137;
    }

    /** The host of an HTTP request's {@code Host} header, without its port; null when this is no request. */
    static String httpHost(byte[] b, int at, int length) {
        int end = at + length;
        boolean request = false;
        for (String m : METHODS) {
            if (startsWith(b, at, end, m)) {
                request = true;
                break;
            }
        }
        if (!request) {
            return null;
        }
        int line = at;
        while (line < end) {
            int next = line;
            while (next < end && b[next] != '\n') {
                next++;
            }
            if (next >= end) {
                return null;
            }
            int from = next + 1;
            if (from < end && (b[from] == '\r' || b[from] == '\n')) {
                return null;
            }
            if (startsWithIgnoreCase(b, from, end, "host:")) {
                int v = from + 5;
                int stop = v;
                while (stop < end && b[stop] != '\r' && b[stop] != '\n') {
                    stop++;
                }
                while (v < stop && (b[v] == ' ' || b[v] == '\t')) {
                    v++;
                }
                while (stop > v && (b[stop - 1] == ' ' || b[stop - 1] == '\t')) {
                    stop--;
                }
                if (v < stop && b[v] == '[') {
                    return null;
                }
                int colon = v;
                while (colon < stop && b[colon] != ':') {
                    colon++;
                }
                return TlsServerName.plainName(b, v, colon - v);
            }
            line = from;
        }
        return null;
    }

    /** The first question's name of a DNS message (query or response), dotted, lower case; null otherwise. */
    static String dnsQuery(byte[] b, int at, int length) {
        int end = at + length;
        if (length < 12 || (((b[at + 4] & 0xff) << 8) | (b[at + 5] & 0xff)) == 0) {
            return null;
        }
        int opcode = (b[at + 2] >>> 3) & 0x0f;
        if (opcode != 0) {
            return null;
        }
        StringBuilder name = new StringBuilder();
        int i = at + 12;
        while (i < end) {
            int len = b[i] & 0xff;
            if (len == 0) {
                break;
            }
            if (len > 63 || i + 1 + len > end) {
                return null;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            for (int k = i + 1; k <= i + len; k++) {
                name.append((char) (b[k] & 0xff));
            }
            i += 1 + len;
        }
        if (i >= end || name.length() == 0) {
            return null;
        }
        byte[] ascii = name.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return TlsServerName.plainName(ascii, 0, ascii.length);
    }

    /**
     * The query name of a DNS message on another port, only when the whole payload reads
     * as one: one question, few records, a known class, and (for a query without
     * records) nothing after the question.
     */
    static String strictDnsQuery(byte[] b, int at, int length) {
        if (length < 17 || length > 4096) {
            return null;
        }
        int questions = u16(b, at + 4);
        int answers = u16(b, at + 6);
        int authority = u16(b, at + 8);
        int additional = u16(b, at + 10);
        boolean response = (b[at + 2] & 0x80) != 0;
        if (questions != 1 || answers > 64 || authority > 64 || additional > 64 || (b[at + 3] & 0x40) != 0) {
            return null;
        }
        int i = at + 12;
        int end = at + length;
        while (i < end && b[i] != 0) {
            i += 1 + (b[i] & 0xff);
        }
        int questionEnd = i + 1 + 4;
        if (i >= end || questionEnd > end) {
            return null;
        }
        int type = u16(b, i + 1);
        int klass = u16(b, i + 3) & 0x7fff;
        if (type == 0 || klass != 1 && klass != 3 && klass != 4 && klass != 255) {
            return null;
        }
        if (!response && answers == 0 && authority == 0 && additional == 0 && questionEnd != end) {
            return null;
        }
        return dnsQuery(b, at, length);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    /**
     * A multicast DNS name of one host ({@code jasons-phone.local}) rather than of a
     * service type ({@code _googlecast._tcp.local}, DNS-SD's underscore labels).
     */
    static boolean namesALocalHost(String name) {
        return name.endsWith(".local") && !name.startsWith("_") && !name.contains("._");
    }

    /** An IPv4 literal, or a reverse look-up name that spells an address. */
    static boolean spellsAddress(String name) {
        return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.endsWith(".in-addr.arpa") || name.endsWith(".ip6.arpa");
    }

    private static boolean startsWith(byte[] b, int at, int end, String prefix) {
        if (at + prefix.length() > end) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int at, int end, String prefix) {
        if (at + prefix.length() > end) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) (b[at + i] & 0xff)) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

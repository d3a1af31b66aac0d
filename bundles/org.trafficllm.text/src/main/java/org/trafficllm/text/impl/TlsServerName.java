package org.trafficllm.text.impl;

import java.util.List;
import java.util.Locale;

import org.trafficllm.api.capture.PacketView;

/**
 * The server name a TLS client asks for in its ClientHello (the {@code server_name}
 * extension, RFC 6066), read from the first packets of a TCP flow. The hello is taken
 * from the first segment that starts a handshake record holding a ClientHello and, when
 * the record goes on, from the next in-sequence segments of the same direction (a
 * ClientHello larger than one segment is common since post-quantum key shares).
 * Whatever cannot be read (a cut capture, a gap, another record type, a name that is
 * not a plain DNS name) gives no name; nothing here throws on bad bytes.
 */
final class TlsServerName {
    /** The longest DNS name. */
    static final int MAX_NAME = 253;
    private static final int HANDSHAKE = 0x16;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME = 0;
    private static final int HOST_NAME = 0;

    private TlsServerName() {
    }

    /** The host name of the first ClientHello among the packets, lower case; null when there is none. */
    static String of(List<PacketView> packets) {
        for (int i = 0; i < packets.size(); i++) {
            if (startsClientHello(packets.get(i))) {
                return ofHelloAt(packets, i);
            }
        }
        return null;
    }

    /** The host name of the ClientHello whose record starts the segment {@code packets.get(first)}. */
    static String ofHelloAt(List<PacketView> packets, int first) {
        PacketView p = packets.get(first);
        int at = p.payloadOffset();
        byte[] a = p.array();
        int recordLength = 5 + (((a[at + 3] & 0xff) << 8) | (a[at + 4] & 0xff));
        return serverName(hello(packets, first, recordLength), recordLength);
    }

    static boolean startsClientHello(PacketView p) {
        if (p.ipProtocol() != 6 || p.payloadOffset() < 0 || p.payloadLength() < 6) {
            return false;
        }
        byte[] a = p.array();
        int at = p.payloadOffset();
        return (a[at] & 0xff) == HANDSHAKE && a[at + 1] == 3 && (a[at + 5] & 0xff) == CLIENT_HELLO;
    }

    /** The record's bytes from the segment at {@code first} on, in sequence, at most {@code length}. */
    private static byte[] hello(List<PacketView> packets, int first, int length) {
        PacketView start = packets.get(first);
        byte[] out = new byte[length];
        int filled = 0;
        long next = start.tcpSequence();
        for (int i = first; i < packets.size() && filled < length; i++) {
            PacketView p = packets.get(i);
            if (p.ipProtocol() != 6 || p.sourcePort() != start.sourcePort()
                    || p.destinationPort() != start.destinationPort() || p.payloadOffset() < 0 || p.payloadLength() == 0) {
                continue;
            }
            if (p.tcpSequence() != next) {
                // a retransmission of what we have is skipped; a gap ends the hello
                if (((next - p.tcpSequence()) & 0xffffffffL) < 0x80000000L) {
                    continue;
                }
                break;
            }
            int n = Math.min(p.payloadLength(), length - filled);
            System.arraycopy(p.array(), p.payloadOffset(), out, filled, n);
            filled += n;
            next = (next + p.payloadLength()) & 0xffffffffL;
        }
        return filled == length ? out : java.util.Arrays.copyOf(out, filled);
    }

    /** The server name of a ClientHello record ({@code b} from the record header on); null when absent or cut. */
    static String serverName(byte[] b, int recordLength) {
        return helloServerName(b, 5, Math.min(b.length, recordLength));
    }

    /**
     * The server name of a ClientHello handshake message starting at {@code start} (its type
     * byte) and ending at most at {@code end}, as QUIC carries it in CRYPTO frames without a
     * record header; null when absent or cut.
     */
    static String helloServerName(byte[] b, int start, int end) {
        end = Math.min(end, b.length);
        if (start < 0 || start + 4 > end || (b[start] & 0xff) != CLIENT_HELLO) {
            return null;
        }
        // handshake type and length (4), client version (2), random (32)
        int at = start + 4 + 2 + 32;
        at = skip8(b, at, end);
        at = skip16(b, at, end);
        at = skip8(b, at, end);
        if (at < 0 || at + 2 > end) {
            return null;
        }
        int extensionsEnd = Math.min(end, at + 2 + u16(b, at));
        at += 2;
        while (at + 4 <= extensionsEnd) {
            int type = u16(b, at);
            int length = u16(b, at + 2);
            at += 4;
            if (type == SERVER_NAME) {
                return hostName(b, at, Math.min(extensionsEnd, at + length));
            }
            at += length;
        }
        return null;
    }

    private static String hostName(byte[] b, int at, int end) {
        if (at + 2 > end) {
            return null;
        }
        int listEnd = Math.min(end, at + 2 + u16(b, at));
        at += 2;
        while (at + 3 <= listEnd) {
            int type = b[at] & 0xff;
            int length = u16(b, at + 1);
            at += 3;
            if (at + length > listEnd) {
                return null;
            }
            if (type == HOST_NAME) {
                return plainName(b, at, length);
            }
            at += length;
        }
        return null;
    }

    /** Letters, digits, '-', '_' and dots only (a DNS name as written), lower-cased; null otherwise. */
    static String plainName(byte[] b, int at, int length) {
        if (length == 0 || length > MAX_NAME) {
            return null;
        }
        StringBuilder name = new StringBuilder(length);
        for (int i = at; i < at + length; i++) {
            char c = (char) (b[i] & 0xff);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.')) {
                return null;
            }
            name.append(c);
        }
        return name.toString().toLowerCase(Locale.ROOT);
    }

    private static int skip8(byte[] b, int at, int end) {
        return at < 0 || at + 1 > end ? -1 : at + 1 + (b[at] & 0xff);
    }

    private static int skip16(byte[] b, int at, int end) {
        return at < 0 || at + 2 > end ? -1 : at + 2 + u16(b, at);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}

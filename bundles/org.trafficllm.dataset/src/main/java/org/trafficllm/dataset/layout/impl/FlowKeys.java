package org.trafficllm.dataset.layout.impl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.FlowKeyDTO;

/**
 * A direction-free text key of a 5-tuple (protocol, both addresses and ports), the
 * same for a packet, a flow of the flow table and a row of a label file, so that
 * they can be matched and grouped.
 */
final class FlowKeys {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private FlowKeys() {
    }

    /** The key of the packet's 5-tuple, or null without an IP header. */
    static String of(PacketView packet) {
        int version = packet.ipVersion();
        if (version == 0 || packet.sourceAddressOffset() < 0 || packet.destinationAddressOffset() < 0) {
            return null;
        }
        int length = version == 4 ? 4 : 16;
        return key(packet.ipProtocol(), packet.array(), packet.sourceAddressOffset(), Math.max(0, packet.sourcePort()),
                packet.array(), packet.destinationAddressOffset(), Math.max(0, packet.destinationPort()), length);
    }

    /** The key of a flow table's flow. */
    static String of(FlowKeyDTO flow) {
        byte[] client = address(flow.clientAddress);
        byte[] server = address(flow.serverAddress);
        if (client == null || server == null || client.length != server.length) {
            return null;
        }
        return key(flow.protocol, client, 0, flow.clientPort, server, 0, flow.serverPort, client.length);
    }

    /** The key of a textual 5-tuple, or null when an address is no IP literal. */
    static String of(int protocol, String a, int aPort, String b, int bPort) {
        byte[] first = address(a);
        byte[] second = address(b);
        if (first == null || second == null || first.length != second.length) {
            return null;
        }
        return key(protocol, first, 0, aPort, second, 0, bPort, first.length);
    }

    /**
     * The bytes of an IPv4 or IPv6 literal, or null. Only literals reach
     * {@link InetAddress}, so no name is ever looked up. An IPv6 literal stays 16
     * bytes even when it is IPv4-mapped ({@code ::ffff:a.b.c.d}), which
     * {@link InetAddress} would turn into 4: the packet carried 16.
     */
    static byte[] address(String text) {
        if (text == null) {
            return null;
        }
        String literal = text.trim();
        boolean ipv6 = literal.indexOf(':') >= 0;
        if (!ipv6 && !IPV4.matcher(literal).matches()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
        if (ipv6 && bytes.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        }
        return bytes;
    }

    private static String key(int protocol, byte[] aBytes, int aOffset, int aPort, byte[] bBytes, int bOffset,
            int bPort, int length) {
        int order = 0;
        for (int i = 0; i < length && order == 0; i++) {
            order = Integer.compare(aBytes[aOffset + i] & 0xff, bBytes[bOffset + i] & 0xff);
        }
        if (order == 0) {
            order = Integer.compare(aPort, bPort);
        }
        StringBuilder key = new StringBuilder(8 + 4 * length + 12);
        key.append(protocol).append(' ');
        if (order <= 0) {
            endpoint(key, aBytes, aOffset, aPort, length).append(' ');
            endpoint(key, bBytes, bOffset, bPort, length);
        } else {
            endpoint(key, bBytes, bOffset, bPort, length).append(' ');
            endpoint(key, aBytes, aOffset, aPort, length);
        }
        return key.toString();
    }

    private static StringBuilder endpoint(StringBuilder key, byte[] bytes, int offset, int port, int length) {
        for (int i = 0; i < length; i++) {
            key.append(HEX[(bytes[offset + i] >> 4) & 0xf]).append(HEX[bytes[offset + i] & 0xf]);
        }
        return key.append(':').append(port);
    }
}

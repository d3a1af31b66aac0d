package org.trafficllm.text.impl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.trafficllm.api.text.MaskedIdentifier;

/**
 * Stable placeholders for one render session: the n-th distinct MAC, IP address or
 * port becomes {@code MAC_n}, {@code IP_n}, {@code PORT_n}. The same numbers give the
 * byte forms used inside hex ({@link #maskIp}), so a text and its hex agree.
 */
final class Masking {
    static final String TIME = "TIME";

    final boolean macs;
    final boolean ips;
    final boolean ports;
    final boolean times;
    private final IdentifierNumbers macNumbers = new IdentifierNumbers();
    private final IdentifierNumbers ipNumbers = new IdentifierNumbers();
    private final IdentifierNumbers portNumbers = new IdentifierNumbers();
    private final Map<String, String> placeholders = new LinkedHashMap<>();

    Masking(Set<MaskedIdentifier> mask) {
        Set<MaskedIdentifier> m = mask == null ? Set.of() : mask;
        macs = m.contains(MaskedIdentifier.MAC);
        ips = m.contains(MaskedIdentifier.IP);
        ports = m.contains(MaskedIdentifier.PORT);
        times = m.contains(MaskedIdentifier.TIME);
    }

    boolean any() {
        return macs || ips || ports || times;
    }

    Map<String, String> placeholders() {
        return Collections.unmodifiableMap(placeholders);
    }

    int macNumber(byte[] a, int off) {
        long value = 0;
        for (int i = 0; i < 6; i++) {
            value = value << 8 | (a[off + i] & 0xff);
        }
        int n = macNumbers.number(0, value);
        if (n < 0) {
            StringBuilder sb = new StringBuilder(17);
            Digits.mac(sb, a, off);
            placeholders.put(sb.toString(), "MAC_" + -n);
        }
        return Math.abs(n);
    }

    int ipNumber(byte[] a, int off, int length) {
        long high = 0;
        long low = 0;
        if (length == 4) {
            low = (a[off] & 0xffL) << 24 | (a[off + 1] & 0xffL) << 16 | (a[off + 2] & 0xffL) << 8 | (a[off + 3] & 0xffL);
            high = -1;
        } else {
            for (int i = 0; i < 8; i++) {
                high = high << 8 | (a[off + i] & 0xff);
                low = low << 8 | (a[off + 8 + i] & 0xff);
            }
        }
        int n = ipNumbers.number(high, low);
        if (n < 0) {
            placeholders.put(ipText(a, off, length), "IP_" + -n);
        }
        return Math.abs(n);
    }

    int portNumber(int port) {
        int n = portNumbers.number(0, port);
        if (n < 0) {
            placeholders.put(Integer.toString(port), "PORT_" + -n);
        }
        return Math.abs(n);
    }

    void appendMac(StringBuilder sb, byte[] a, int off) {
        if (macs) {
            sb.append("MAC_").append(macNumber(a, off));
        } else {
            Digits.mac(sb, a, off);
        }
    }

    void appendIpv4(StringBuilder sb, byte[] a, int off) {
        if (ips) {
            sb.append("IP_").append(ipNumber(a, off, 4));
        } else {
            Digits.ipv4(sb, a, off);
        }
    }

    void appendPort(StringBuilder sb, int port) {
        if (ports) {
            sb.append("PORT_").append(portNumber(port));
        } else {
            sb.append(port);
        }
    }

    /** Overwrites the MAC at {@code a[off]} with its placeholder number: 00:00:00:00 and the number in two bytes. */
    void maskMac(byte[] a, int off) {
        int n = macNumber(a, off);
        for (int i = 0; i < 4; i++) {
            a[off + i] = 0;
        }
        a[off + 4] = (byte) (n >> 8);
        a[off + 5] = (byte) n;
    }

    /** Overwrites an address with its placeholder number, big-endian in the address's last bytes (IP_3 = 0.0.0.3). */
    void maskIp(byte[] a, int off, int length) {
        int n = ipNumber(a, off, length);
        for (int i = 0; i < length - 4; i++) {
            a[off + i] = 0;
        }
        a[off + length - 4] = (byte) (n >> 24);
        a[off + length - 3] = (byte) (n >> 16);
        a[off + length - 2] = (byte) (n >> 8);
        a[off + length - 1] = (byte) n;
    }

    /** Overwrites a port with its placeholder number. */
    void maskPort(byte[] a, int off) {
        int n = portNumber(((a[off] & 0xff) << 8) | (a[off + 1] & 0xff));
        a[off] = (byte) (n >> 8);
        a[off + 1] = (byte) n;
    }

    private static String ipText(byte[] a, int off, int length) {
        StringBuilder sb = new StringBuilder(39);
        if (length == 4) {
            Digits.ipv4(sb, a, off);
        } else {
            for (int i = 0; i < 8; i++) {
                if (i > 0) {
                    sb.append(':');
                }
                sb.append(Integer.toHexString(((a[off + 2 * i] & 0xff) << 8) | (a[off + 2 * i + 1] & 0xff)));
            }
        }
        return sb.toString();
    }
}

package org.trafficllm.capture.impl;

/** Text forms of link and IP addresses as Wireshark prints them. */
final class AddressText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AddressText() {
    }

    static String ip(byte[] a, int off, int length) {
        StringBuilder sb = new StringBuilder(39);
        if (length == 4) {
            appendIpv4(sb, a, off);
        } else {
            appendIpv6(sb, a, off);
        }
        return sb.toString();
    }

    static void appendIpv4(StringBuilder sb, byte[] a, int off) {
        sb.append(a[off] & 0xff).append('.').append(a[off + 1] & 0xff).append('.')
                .append(a[off + 2] & 0xff).append('.').append(a[off + 3] & 0xff);
    }

    /** RFC 5952: lower case, the longest run of two or more zero groups as "::", embedded IPv4 not used. */
    static void appendIpv6(StringBuilder sb, byte[] a, int off) {
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8;) {
            if (group(a, off, i) == 0) {
                int j = i;
                while (j < 8 && group(a, off, j) == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(a, off, i)));
        }
    }

    private static int group(byte[] a, int off, int i) {
        return ((a[off + 2 * i] & 0xff) << 8) | (a[off + 2 * i + 1] & 0xff);
    }

    static String mac(byte[] a, int off) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(a[off + i] >> 4) & 0xf]).append(HEX[a[off + i] & 0xf]);
        }
        return sb.toString();
    }
}

package org.trafficllm.text.impl;

/** Appends numbers in the fixed forms tshark prints, without building intermediate strings. */
final class Digits {
    static final char[] HEX = "0123456789abcdef".toCharArray();

    private Digits() {
    }

    /** {@code 0x} and exactly {@code width} lower-case hex digits. */
    static void hex(StringBuilder sb, long value, int width) {
        sb.append('0').append('x');
        for (int shift = (width - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(HEX[(int) (value >>> shift) & 0xf]);
        }
    }

    /** Signed seconds with nine decimals, e.g. {@code -0.000001000}. */
    static void seconds(StringBuilder sb, long nanos) {
        long n = nanos;
        if (n < 0) {
            sb.append('-');
            n = -n;
        }
        sb.append(n / 1_000_000_000L).append('.');
        nine(sb, n % 1_000_000_000L);
    }

    /** Nine digits with leading zeros. */
    static void nine(StringBuilder sb, long fraction) {
        for (long div = 100_000_000L; div > 0; div /= 10) {
            sb.append((char) ('0' + (fraction / div) % 10));
        }
    }

    /** Two digits with a leading zero. */
    static void two(StringBuilder sb, int value) {
        sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    static void bytesHex(StringBuilder sb, byte[] a, int from, int length) {
        for (int i = from; i < from + length; i++) {
            sb.append(HEX[(a[i] >> 4) & 0xf]).append(HEX[a[i] & 0xf]);
        }
    }

    static void mac(StringBuilder sb, byte[] a, int off) {
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(a[off + i] >> 4) & 0xf]).append(HEX[a[off + i] & 0xf]);
        }
    }

    static void ipv4(StringBuilder sb, byte[] a, int off) {
        sb.append(a[off] & 0xff).append('.').append(a[off + 1] & 0xff).append('.').append(a[off + 2] & 0xff)
                .append('.').append(a[off + 3] & 0xff);
    }
}

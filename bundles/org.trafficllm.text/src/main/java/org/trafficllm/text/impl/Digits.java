package org.trafficllm.text.impl;

/**
 * Appends numbers in the fixed forms tshark prints, without building intermediate
 * strings: digits go into a small per-thread scratch array that is appended in one
 * call, because per-character appends dominate rendering time.
 */
final class Digits {
    static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final ThreadLocal<char[]> SCRATCH = ThreadLocal.withInitial(() -> new char[2048]);

    private Digits() {
    }

    /** {@code 0x} and exactly {@code width} lower-case hex digits. */
    static void hex(StringBuilder sb, long value, int width) {
        char[] c = SCRATCH.get();
        c[0] = '0';
        c[1] = 'x';
        for (int i = 0; i < width; i++) {
            c[2 + i] = HEX[(int) (value >>> ((width - 1 - i) * 4)) & 0xf];
        }
        sb.append(c, 0, width + 2);
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
        char[] c = SCRATCH.get();
        int v = (int) fraction;
        for (int i = 8; i >= 0; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        sb.append(c, 0, 9);
    }

    /** Two digits with a leading zero. */
    static void two(StringBuilder sb, int value) {
        sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    static void bytesHex(StringBuilder sb, byte[] a, int from, int length) {
        char[] c = SCRATCH.get();
        int done = 0;
        while (done < length) {
            int chunk = Math.min(length - done, c.length / 2);
            for (int i = 0; i < chunk; i++) {
                byte b = a[from + done + i];
                c[2 * i] = HEX[(b >> 4) & 0xf];
                c[2 * i + 1] = HEX[b & 0xf];
            }
            sb.append(c, 0, 2 * chunk);
            done += chunk;
        }
    }

    /**
     * Bytes as tshark 2.6 printed a byte field: lower-case hex pairs joined by
     * colons ({@code 16:03:01}), cut after {@code limit} characters even inside a pair.
     */
    static void colonHex(StringBuilder sb, byte[] a, int from, int length, int limit) {
        char[] c = SCRATCH.get();
        int written = 0;
        int n = 0;
        for (int i = 0; i < length && written < limit; i++) {
            if (n + 3 > c.length) {
                sb.append(c, 0, n);
                n = 0;
            }
            if (i > 0) {
                c[n++] = ':';
                written++;
            }
            byte b = a[from + i];
            c[n++] = HEX[(b >> 4) & 0xf];
            c[n++] = HEX[b & 0xf];
            written += 2;
        }
        sb.append(c, 0, n - Math.max(0, written - limit));
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

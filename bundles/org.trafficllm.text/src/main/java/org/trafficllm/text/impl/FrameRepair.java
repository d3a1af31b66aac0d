package org.trafficllm.text.impl;

/**
 * Makes a composed Ethernet frame consistent: IP total (or payload) length, UDP
 * length, and the IPv4 header, TCP and UDP checksums, computed over the bytes
 * actually present. Frames it cannot read as Ethernet/IP stay as they are.
 */
final class FrameRepair {
    private FrameRepair() {
    }

    /**
     * Repairs {@code frame}, whose IP packet ends at {@code ipEnd} (bytes after it
     * are link padding).
     */
    static void repair(byte[] frame, int ipEnd) {
        if (ipEnd < 14 || ipEnd > frame.length) {
            return;
        }
        int pos = 12;
        int type = u16(frame, pos);
        pos += 2;
        while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) && pos + 4 <= ipEnd) {
            type = u16(frame, pos + 2);
            pos += 4;
        }
        if (type == 0x0800 && pos + 20 <= ipEnd && (frame[pos] & 0xf0) == 0x40) {
            repairIpv4(frame, pos, ipEnd);
        } else if (type == 0x86dd && pos + 40 <= ipEnd && (frame[pos] & 0xf0) == 0x60) {
            repairIpv6(frame, pos, ipEnd);
        }
    }

    private static void repairIpv4(byte[] f, int ip, int end) {
        int ihl = (f[ip] & 0x0f) * 4;
        if (ihl < 20 || ip + ihl > end) {
            return;
        }
        put16(f, ip + 2, end - ip);
        put16(f, ip + 10, 0);
        put16(f, ip + 10, ~fold(sum(f, ip, ihl, 0)) & 0xffff);
        boolean laterFragment = (u16(f, ip + 6) & 0x1fff) != 0;
        if (laterFragment) {
            return;
        }
        long pseudo = sum(f, ip + 12, 8, 0) + (f[ip + 9] & 0xff) + (end - ip - ihl);
        repairTransport(f, f[ip + 9] & 0xff, ip + ihl, end, pseudo);
    }

    private static void repairIpv6(byte[] f, int ip, int end) {
        put16(f, ip + 4, end - ip - 40);
        int next = f[ip + 6] & 0xff;
        long pseudo = sum(f, ip + 8, 32, 0) + next + (end - ip - 40);
        repairTransport(f, next, ip + 40, end, pseudo);
    }

    private static void repairTransport(byte[] f, int protocol, int l4, int end, long pseudo) {
        int length = end - l4;
        if (protocol == 6 && length >= 20) {
            put16(f, l4 + 16, 0);
            put16(f, l4 + 16, ~fold(sum(f, l4, length, pseudo)) & 0xffff);
        } else if (protocol == 17 && length >= 8) {
            put16(f, l4 + 4, length);
            put16(f, l4 + 6, 0);
            int checksum = ~fold(sum(f, l4, length, pseudo)) & 0xffff;
            // 0 means "no checksum" in UDP; an all-ones sum is sent as 0xffff.
            put16(f, l4 + 6, checksum == 0 ? 0xffff : checksum);
        }
    }

    private static long sum(byte[] f, int from, int length, long initial) {
        long s = initial;
        int i = from;
        for (; i + 1 < from + length; i += 2) {
            s += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        if (i < from + length) {
            s += (f[i] & 0xff) << 8;
        }
        return s;
    }

    private static int fold(long s) {
        long v = s;
        while (v >> 16 != 0) {
            v = (v & 0xffff) + (v >> 16);
        }
        return (int) v;
    }

    static int u16(byte[] f, int at) {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }

    static void put16(byte[] f, int at, int v) {
        f[at] = (byte) (v >> 8);
        f[at + 1] = (byte) v;
    }
}

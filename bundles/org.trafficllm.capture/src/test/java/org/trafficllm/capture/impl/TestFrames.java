package org.trafficllm.capture.impl;

import java.io.ByteArrayOutputStream;

/** Builds frames byte by byte for tests: headers are written as the RFCs lay them out. */
final class TestFrames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static TestFrames frame() {
        return new TestFrames();
    }

    TestFrames bytes(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    TestFrames u16(int v) {
        return bytes(v >> 8, v);
    }

    TestFrames u32(long v) {
        return bytes((int) (v >> 24), (int) (v >> 16), (int) (v >> 8), (int) v);
    }

    TestFrames zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    TestFrames ethernet(int etherType) {
        return bytes(0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb).u16(etherType);
    }

    /** IPv4 header without options from 10.0.0.1 to 10.0.0.2. */
    TestFrames ipv4(int protocol, int totalLength, int flagsAndFragment) {
        return bytes(0x45, 0).u16(totalLength).u16(0x1234).u16(flagsAndFragment).bytes(64, protocol).u16(0)
                .bytes(10, 0, 0, 1, 10, 0, 0, 2);
    }

    /** IPv6 header from 2001:db8::1 to 2001:db8::2. */
    TestFrames ipv6(int nextHeader, int payloadLength) {
        bytes(0x60, 0, 0, 0).u16(payloadLength).bytes(nextHeader, 64);
        bytes(0x20, 0x01, 0x0d, 0xb8).zeros(11).bytes(1);
        return bytes(0x20, 0x01, 0x0d, 0xb8).zeros(11).bytes(2);
    }

    TestFrames tcp(int sport, int dport, long seq, long ack, int flags) {
        return u16(sport).u16(dport).u32(seq).u32(ack).bytes(0x50 | ((flags >> 8) & 1), flags & 0xff).u16(65535)
                .u16(0).u16(0);
    }

    TestFrames udp(int sport, int dport, int length) {
        return u16(sport).u16(dport).u16(length).u16(0);
    }

    int length() {
        return out.size();
    }

    byte[] build() {
        return out.toByteArray();
    }
}

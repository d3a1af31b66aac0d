package org.trafficllm.text.impl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.trafficllm.api.capture.PacketView;

/**
 * The TLS ClientHello a QUIC client sends in its Initial packets, read from the first
 * packets of a UDP flow. Initial packets are encrypted with keys anyone can derive from
 * the Destination Connection ID of the client's first Initial (RFC 9001 section 5), so
 * the hello can be recovered without any secret: derive the client Initial keys
 * (HKDF-SHA256 with the version's salt), remove header protection (AES-ECB mask),
 * decrypt the payload (AES-128-GCM), and put the data of its CRYPTO frames together by
 * offset.
 *
 * <p>The versions read are QUIC version 1 (RFC 9000), version 2 (RFC 9369) and
 * draft-29; other drafts, vendor versions (mvfst, Google's T05x) and greased versions
 * give nothing. The client is the side that sent the first Initial of such a version,
 * and all of its Initials are decrypted with the keys of that first Initial's
 * Destination Connection ID, as RFC 9001 says, even when later ones carry the
 * connection ID the server chose. Packets coalesced in one datagram are walked;
 * Handshake and 0-RTT packets are skipped; a packet that does not decrypt is ignored.
 *
 * <p>Browsers split the hello over several CRYPTO frames in any order and, with large
 * (post-quantum) key shares, over two or more Initial packets, so the data is gathered
 * across all the client's Initials among the packets given and read contiguously from
 * offset 0. When the packets hold only the start of the hello (the rest came later or
 * was lost), that start is returned: the server_name extension usually sits in it.
 * Nothing here throws on bad bytes; what cannot be read gives null.
 */
final class QuicInitial {
    /** Longest hello kept; the CRYPTO stream of a real ClientHello is a few kilobytes. */
    static final int MAX_HELLO = 1 << 16;
    private static final int CLIENT_HELLO = 1;
    private static final int UDP = 17;
    private static final int MAX_CONNECTION_ID = 20;
    private static final int TAG_BYTES = 16;
    private static final int SAMPLE_BYTES = 16;

    /** A QUIC version whose Initial packets are read: its salt, key labels and Initial packet type. */
    private record Version(int number, byte[] salt, String keyLabel, String ivLabel, String hpLabel, int initialType) {
        static final Version V1 = new Version(0x00000001, hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"), "quic key",
                "quic iv", "quic hp", 0);
        static final Version V2 = new Version(0x6b3343cf, hex("0dede3def700a6db819381be6e269dcbf9bd2ed9"),
                "quicv2 key", "quicv2 iv", "quicv2 hp", 1);
        static final Version DRAFT_29 = new Version(0xff00001d, hex("afbfec289993d24c9e9786f19c6111e04390a899"),
                "quic key", "quic iv", "quic hp", 0);

        static Version of(int number) {
            return switch (number) {
                case 0x00000001 -> V1;
                case 0x6b3343cf -> V2;
                case 0xff00001d -> DRAFT_29;
                default -> null;
            };
        }

        private static byte[] hex(String s) {
            return HexFormat.of().parseHex(s);
        }
    }

    /**
     * The fields of a long-header packet of a known version, as offsets into the
     * datagram: the Destination Connection ID, where the (protected) packet number
     * starts and where the packet ends.
     */
    private record LongHeader(Version version, boolean initial, int start, int dcidOffset, int dcidLength,
            int packetNumberOffset, int end) {

        /**
         * The long-header packet at {@code at}; null for a short header, Retry, Version
         * Negotiation, an unknown version or a malformed header.
         */
        static LongHeader parse(byte[] a, int at, int end) {
            if (at + 7 > end || (a[at] & 0x80) == 0) {
                return null;
            }
            int first = a[at] & 0xff;
            Version version = Version.of((int) u32(a, at + 1));
            if (version == null) {
                return null;
            }
            int type = (first >>> 4) & 3;
            boolean initial = type == version.initialType();
            boolean retry = type == (version == Version.V2 ? 0 : 3);
            if (retry) {
                return null;
            }
            int p = at + 5;
            int dcidLength = a[p] & 0xff;
            int dcidOffset = p + 1;
            p = dcidOffset + dcidLength;
            if (dcidLength > MAX_CONNECTION_ID || p >= end) {
                return null;
            }
            int scidLength = a[p] & 0xff;
            p += 1 + scidLength;
            if (scidLength > MAX_CONNECTION_ID) {
                return null;
            }
            Cursor c = new Cursor(a, p, end);
            if (initial) {
                long tokenLength = c.varint();
                if (tokenLength < 0 || !c.skip(tokenLength)) {
                    return null;
                }
            }
            long length = c.varint();
            if (length < 0 || length > end - c.at) {
                return null;
            }
            return new LongHeader(version, initial, at, dcidOffset, dcidLength, c.at, c.at + (int) length);
        }
    }

    /** A reader over bytes with QUIC variable-length integers (RFC 9000 section 16). */
    private static final class Cursor {
        private final byte[] b;
        private final int end;
        private int at;

        Cursor(byte[] b, int at, int end) {
            this.b = b;
            this.at = at;
            this.end = end;
        }

        boolean more() {
            return at < end;
        }

        /** The next variable-length integer, or -1 when the bytes end inside it. */
        long varint() {
            if (at >= end) {
                return -1;
            }
            int n = 1 << ((b[at] & 0xff) >>> 6);
            if (at + n > end) {
                return -1;
            }
            long v = b[at] & 0x3f;
            for (int i = 1; i < n; i++) {
                v = (v << 8) | (b[at + i] & 0xff);
            }
            at += n;
            return v;
        }

        /** Skips {@code n} varints; false when the bytes end first. */
        boolean skipVarints(long n) {
            for (long i = 0; i < n; i++) {
                if (varint() < 0) {
                    return false;
                }
            }
            return true;
        }

        /** Skips {@code n} bytes; false when fewer are left. */
        boolean skip(long n) {
            if (n < 0 || n > end - at) {
                return false;
            }
            at += (int) n;
            return true;
        }
    }

    private QuicInitial() {
    }

    /**
     * The ClientHello handshake message (type byte 1, 3-byte length, body) carried in
     * the client's Initial packets among {@code packets}, the first packets of one UDP
     * flow in capture order, both directions; only its start when the rest is missing
     * (at least the 4-byte handshake header). Null when there is none or it cannot be
     * read.
     */
    static byte[] clientHello(List<PacketView> packets) {
        try {
            Assembly assembly = null;
            PacketView client = null;
            for (PacketView p : packets) {
                if (p.ipProtocol() != UDP || p.payloadOffset() < 0 || p.isFragment()) {
                    continue;
                }
                byte[] a = p.array();
                int from = p.payloadOffset();
                int to = from + p.payloadLength();
                if (assembly == null) {
                    assembly = Assembly.start(a, from, to);
                    if (assembly == null) {
                        continue;
                    }
                    client = p;
                } else if (!sameDirection(p, client)) {
                    continue;
                }
                assembly.datagram(a, from, to);
                if (assembly.complete()) {
                    break;
                }
            }
            return assembly == null ? null : assembly.hello();
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /**
     * As {@link #clientHello(List)} for UDP payloads all sent by the client, in order;
     * the first that starts with an Initial of a known version gives the keys.
     */
    static byte[] clientHello(byte[]... clientDatagrams) {
        try {
            Assembly assembly = null;
            for (byte[] d : clientDatagrams) {
                if (assembly == null) {
                    assembly = Assembly.start(d, 0, d.length);
                }
                if (assembly != null) {
                    assembly.datagram(d, 0, d.length);
                    if (assembly.complete()) {
                        break;
                    }
                }
            }
            return assembly == null ? null : assembly.hello();
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** True when {@code p} goes the way {@code client} went: same source address and both ports. */
    private static boolean sameDirection(PacketView p, PacketView client) {
        if (p.sourcePort() != client.sourcePort() || p.destinationPort() != client.destinationPort()
                || p.ipVersion() != client.ipVersion()) {
            return false;
        }
        int n = p.ipVersion() == 6 ? 16 : 4;
        int x = p.sourceAddressOffset();
        int y = client.sourceAddressOffset();
        return x >= 0 && y >= 0 && Arrays.equals(p.array(), x, x + n, client.array(), y, y + n);
    }

    /** The client's Initial keys and the CRYPTO stream put together so far. */
    private static final class Assembly {
        private final Version version;
        private final SecretKeySpec key;
        private final byte[] iv;
        private final Cipher headerProtection;
        private final Cipher aead;
        private byte[] stream = new byte[2048];
        private final BitSet filled = new BitSet();
        private long largestPacketNumber = -1;

        private Assembly(Version version, byte[] dcid) throws GeneralSecurityException {
            this.version = version;
            byte[] initialSecret = hmac(version.salt(), dcid);
            byte[] clientSecret = expandLabel(initialSecret, "client in", 32);
            key = new SecretKeySpec(expandLabel(clientSecret, version.keyLabel(), 16), "AES");
            iv = expandLabel(clientSecret, version.ivLabel(), 12);
            headerProtection = Cipher.getInstance("AES/ECB/NoPadding");
            headerProtection.init(Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(expandLabel(clientSecret, version.hpLabel(), 16), "AES"));
            aead = Cipher.getInstance("AES/GCM/NoPadding");
        }

        /** An assembly keyed by the datagram's first packet when it is an Initial of a known version, else null. */
        static Assembly start(byte[] a, int from, int to) throws GeneralSecurityException {
            LongHeader h = LongHeader.parse(a, from, to);
            if (h == null || !h.initial()) {
                return null;
            }
            return new Assembly(h.version(), Arrays.copyOfRange(a, h.dcidOffset(), h.dcidOffset() + h.dcidLength()));
        }

        /** Reads the Initial packets of one datagram, walking coalesced packets up to a short header or padding. */
        void datagram(byte[] a, int from, int to) throws GeneralSecurityException {
            int at = from;
            while (at < to) {
                LongHeader h = LongHeader.parse(a, at, to);
                if (h == null) {
                    return;
                }
                if (h.initial() && h.version() == version) {
                    byte[] packet = Arrays.copyOfRange(a, h.start(), h.end());
                    byte[] plain = decrypt(packet, h.packetNumberOffset() - h.start());
                    if (plain != null) {
                        frames(plain);
                    }
                }
                at = h.end();
            }
        }

        /**
         * The payload of one protected Initial ({@code packet} is a private copy, its
         * header protection is removed in place); null when it does not authenticate.
         */
        private byte[] decrypt(byte[] packet, int pnOffset) throws GeneralSecurityException {
            int sampleAt = pnOffset + 4;
            if (sampleAt + SAMPLE_BYTES > packet.length) {
                return null;
            }
            byte[] mask = headerProtection.doFinal(packet, sampleAt, SAMPLE_BYTES);
            packet[0] ^= (byte) (mask[0] & 0x0f);
            int pnLength = (packet[0] & 3) + 1;
            long truncated = 0;
            for (int i = 0; i < pnLength; i++) {
                packet[pnOffset + i] ^= mask[1 + i];
                truncated = (truncated << 8) | (packet[pnOffset + i] & 0xff);
            }
            int headerLength = pnOffset + pnLength;
            if (packet.length - headerLength < TAG_BYTES) {
                return null;
            }
            long packetNumber = packetNumber(largestPacketNumber, truncated, pnLength * 8);
            byte[] nonce = iv.clone();
            for (int i = 0; i < 8; i++) {
                nonce[nonce.length - 1 - i] ^= (byte) (packetNumber >>> (8 * i));
            }
            aead.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            aead.updateAAD(packet, 0, headerLength);
            byte[] plain;
            try {
                plain = aead.doFinal(packet, headerLength, packet.length - headerLength);
            } catch (AEADBadTagException e) {
                return null;
            }
            largestPacketNumber = Math.max(largestPacketNumber, packetNumber);
            return plain;
        }

        /** Walks the frames of an Initial payload keeping CRYPTO data; stops at a frame an Initial may not hold. */
        private void frames(byte[] plain) {
            Cursor c = new Cursor(plain, 0, plain.length);
            while (c.more()) {
                long type = c.varint();
                if (type == 0x00 || type == 0x01) {
                    continue; // PADDING, PING
                }
                if (type == 0x02 || type == 0x03) {
                    // largest acknowledged, delay, range count, first range; then gap and length per range; ECN counts
                    if (!c.skipVarints(2)) {
                        return;
                    }
                    long ranges = c.varint();
                    if (ranges < 0 || ranges > plain.length || !c.skipVarints(1 + 2 * ranges)
                            || type == 0x03 && !c.skipVarints(3)) {
                        return;
                    }
                } else if (type == 0x06) {
                    long offset = c.varint();
                    long length = c.varint();
                    int dataAt = c.at;
                    if (offset < 0 || length < 0 || !c.skip(length)) {
                        return;
                    }
                    store(offset, plain, dataAt, (int) length);
                } else if (type == 0x1c) {
                    // error code, frame type, reason phrase
                    if (!c.skipVarints(2) || !c.skip(c.varint())) {
                        return;
                    }
                } else {
                    return;
                }
            }
        }

        /** Puts CRYPTO data at its stream offset; what lies beyond {@link #MAX_HELLO} is dropped. */
        private void store(long offset, byte[] data, int at, int length) {
            if (offset >= MAX_HELLO) {
                return;
            }
            int start = (int) offset;
            int n = (int) Math.min(length, MAX_HELLO - offset);
            if (start + n > stream.length) {
                stream = Arrays.copyOf(stream, Math.min(MAX_HELLO, Math.max(stream.length * 2, start + n)));
            }
            System.arraycopy(data, at, stream, start, n);
            filled.set(start, start + n);
        }

        /** Bytes present from offset 0 without a gap. */
        private int contiguous() {
            return filled.nextClearBit(0);
        }

        /** The whole message length its header declares, or -1 before the header is in. */
        private long declaredLength() {
            if (contiguous() < 4) {
                return -1;
            }
            return 4L + (((stream[1] & 0xffL) << 16) | ((stream[2] & 0xffL) << 8) | (stream[3] & 0xffL));
        }

        boolean complete() {
            long declared = declaredLength();
            return declared >= 0 && contiguous() >= declared;
        }

        /** The ClientHello, whole or its start; null without the handshake header or for another message. */
        byte[] hello() {
            long declared = declaredLength();
            if (declared < 0 || stream[0] != CLIENT_HELLO) {
                return null;
            }
            return Arrays.copyOf(stream, (int) Math.min(declared, contiguous()));
        }
    }

    /** The full packet number nearest the next expected one (RFC 9000 appendix A.3). */
    private static long packetNumber(long largest, long truncated, int bits) {
        long expected = largest + 1;
        long window = 1L << bits;
        long half = window / 2;
        long candidate = (expected & ~(window - 1)) | truncated;
        if (candidate <= expected - half && candidate < (1L << 62) - window) {
            return candidate + window;
        }
        if (candidate > expected + half && candidate >= window) {
            return candidate - window;
        }
        return candidate;
    }

    /** HKDF-Extract with SHA-256 (RFC 5869). */
    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /**
     * TLS 1.3 HKDF-Expand-Label (RFC 8446 section 7.1) with an empty context, for up to
     * 32 bytes (one HMAC block): the label goes in with its "tls13 " prefix.
     */
    private static byte[] expandLabel(byte[] secret, String label, int length) throws GeneralSecurityException {
        byte[] full = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[2 + 1 + full.length + 1 + 1];
        info[0] = (byte) (length >>> 8);
        info[1] = (byte) length;
        info[2] = (byte) full.length;
        System.arraycopy(full, 0, info, 3, full.length);
        info[3 + full.length] = 0; // empty context
        info[4 + full.length] = 1; // HKDF-Expand block counter
        return Arrays.copyOf(hmac(secret, info), length);
    }

    private static long u32(byte[] a, int at) {
        return ((a[at] & 0xffL) << 24) | ((a[at + 1] & 0xffL) << 16) | ((a[at + 2] & 0xffL) << 8) | (a[at + 3] & 0xffL);
    }
}

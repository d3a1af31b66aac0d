package org.trafficllm.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Which packets look random, and what of them stays visible. */
class OpaqueSamplesTest {
    private final OpaqueSamples opaque = new OpaqueSamples(OpaqueSamples.MIN_BYTES, OpaqueSamples.MARGIN);
    private final Random random = new Random(5);

    @Test
    void randomBytesAreOpaqueAndOnlyTheirLengthIsSeen() {
        assertThat(opaque.signature(packets(randomBytes(784)))).isEqualTo("1 packet: 784 bytes");
        assertThat(opaque.signature(packets(randomBytes(300), randomBytes(1200))))
                .isEqualTo("2 packets: 300 bytes | 1200 bytes");
    }

    @Test
    void encryptedTlsRecordsShowTheirHeadersOnly() {
        byte[] packet = randomBytes(784);
        System.arraycopy(new byte[] {0x17, 0x03, 0x00, 0x05, 0x78}, 0, packet, 0, 5);
        assertThat(opaque.signature(packets(packet))).isEqualTo("1 packet: 784 bytes, TLS records 170300:1400");

        byte[] two = randomBytes(700);
        System.arraycopy(new byte[] {0x17, 0x03, 0x03, 0x01, 0x00}, 0, two, 0, 5);
        System.arraycopy(new byte[] {0x17, 0x03, 0x03, 0x02, 0x00}, 0, two, 261, 5);
        assertThat(opaque.signature(packets(two))).isEqualTo("1 packet: 700 bytes, TLS records 170303:256 170303:512");
    }

    @Test
    void readableOrShortPacketsAreNotOpaque() {
        byte[] text = ("GET /index.html HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n").repeat(10)
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(opaque.signature(packets(text))).as("text").isNull();
        assertThat(opaque.signature(packets(new byte[784]))).as("zeros").isNull();
        assertThat(opaque.signature(packets(randomBytes(200)))).as("too short to judge").isNull();
        assertThat(opaque.signature(packets(randomBytes(784), text))).as("one readable packet").isNull();
        byte[] handshake = randomBytes(784);
        System.arraycopy(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03}, 0,
                handshake, 0, 11);
        assertThat(opaque.signature(packets(handshake))).as("a handshake record is not an encrypted record's header")
                .isEqualTo("1 packet: 784 bytes");
    }

    @Test
    void nearlyEveryDrawOfUniformBytesIsJudgedRandom() {
        for (int n : new int[] {256, 784, 1500}) {
            int opaqueDraws = 0;
            for (int i = 0; i < 500; i++) {
                opaqueDraws += opaque.signature(packets(randomBytes(n))) != null ? 1 : 0;
            }
            assertThat(opaqueDraws).as(n + " bytes").isGreaterThanOrEqualTo(495);
        }
        // Half the byte values only: 7 bits of entropy, never random-looking at these lengths.
        byte[] halved = randomBytes(784);
        for (int i = 0; i < halved.length; i++) {
            halved[i] &= 0x7f;
        }
        assertThat(opaque.signature(packets(halved))).isNull();
    }

    @Test
    void theEntropyOfUniformBytesIsComputedExactly() {
        // Every value once: 256 draws can give at most 8 bits, and on average far less.
        assertThat(OpaqueSamples.uniformEntropy(256)).isBetween(7.15, 7.30);
        assertThat(OpaqueSamples.uniformEntropy(100_000)).isCloseTo(8 - 255 / (2 * 100_000 * Math.log(2)),
                offset(1e-4));
        long[] counts = new long[256];
        Arrays.fill(counts, 3);
        assertThat(OpaqueSamples.entropy(counts, 768)).isCloseTo(8.0, offset(1e-12));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String packets(byte[]... packets) {
        StringBuilder text = new StringBuilder();
        for (byte[] p : packets) {
            text.append(TrafficBytes.PACKET_MARK).append(HexFormat.of().formatHex(p));
        }
        return text.toString();
    }
}

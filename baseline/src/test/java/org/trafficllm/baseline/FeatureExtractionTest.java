package org.trafficllm.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Bytes from traffic texts, the byte-feature layout and hashed character n-grams. */
class FeatureExtractionTest {

    @Test
    void onlyTheTextAfterTheFirstMarkerIsTraffic() throws BaselineException {
        Path file = Path.of("x_test.jsonl");

        assertThat(DatasetFile.traffic(file, 1, "Classify <packet> as follows:\n<packet>: {\"url\": \"/a\"}"))
                .isEqualTo("{\"url\": \"/a\"}");
        assertThat(DatasetFile.traffic(file, 1, "Which app?\n<flow>: <pck>00\n<flow>: x")).isEqualTo("<pck>00\n<flow>: x");
        assertThat(DatasetFile.traffic(file, 1, "APT prompt\nsecond line\n4500")).as("no marker: the last line")
                .isEqualTo("4500");
    }

    @Test
    void flowTextsGiveOneByteArrayPerPacket() {
        List<byte[]> segments = TrafficBytes.segments("<pck>4500ff<pck>0a0B");

        assertThat(segments).hasSize(2);
        assertThat(segments.get(0)).containsExactly(0x45, 0x00, 0xff);
        assertThat(segments.get(1)).containsExactly(0x0a, 0x0b);
    }

    @Test
    void otherTextsGiveTheirUtf8Bytes() {
        String request = "{\"method\":\"GET\",\"url\":\"/a?b=é\"}";

        assertThat(TrafficBytes.segments(request)).singleElement()
                .isEqualTo(request.getBytes(StandardCharsets.UTF_8));
        assertThat(TrafficBytes.segments("cafe")).singleElement().isEqualTo(new byte[] {(byte) 0xca, (byte) 0xfe});
        assertThat(TrafficBytes.segments("<pck>abc")).as("odd length is not hex").singleElement()
                .isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachPacketKeepsItsOwnSlotsAndAbsentBytesAreMissing() {
        List<TrafficSample> train = List.of(new TrafficSample("a", "<pck>01<pck>02<pck>03", 1),
                new TrafficSample("b", "<pck>01", 2));
        ByteFeatures features = ByteFeatures.fitted(train, 6);

        assertThat(features.packets()).isEqualTo(3);
        assertThat(features.width()).isEqualTo(2);
        assertThat(features.size()).isEqualTo(3 * 2 + 3 + 1);
        float[] row = new float[features.size() + 1];
        row[0] = -7;
        features.extract("<pck>0a0b0c<pck>ff", row, 1);
        assertThat(row[0]).as("before the offset").isEqualTo(-7);
        // bytes: packet 1 (cut to its 2 slots), packet 2, packet 3 absent
        assertThat(row[1]).isEqualTo(10);
        assertThat(row[2]).isEqualTo(11);
        assertThat(row[3]).isEqualTo(255);
        assertThat(row[4]).isNaN();
        assertThat(row[5]).isNaN();
        assertThat(row[6]).isNaN();
        // captured lengths, then the packet count
        assertThat(row[7]).isEqualTo(3);
        assertThat(row[8]).isEqualTo(1);
        assertThat(row[9]).isNaN();
        assertThat(row[10]).isEqualTo(2);
    }

    @Test
    void flowFieldsAreNumbersInTheirOwnSlotsNotBytes() {
        String shaped = "flow.packets: 3 2, flow.bytes: 180 1560, flow.duration: 1.250, flow.payloads: >0 <0 >517, "
                + "<pck>0a<pck>0b<pck>0c";
        String request = "{\"method\": \"GET\", \"url\": \"/x?q=flow.bytes: 1, \"}";
        List<TrafficSample> train = List.of(new TrafficSample("a", shaped, 1), new TrafficSample("b", "<pck>01", 2));
        ByteFeatures features = ByteFeatures.fitted(train, 3);

        assertThat(TrafficBytes.segments(shaped)).as("the fields are not a packet").hasSize(3);
        assertThat(FlowFields.present(request)).as("fields count only at the start").isFalse();
        assertThat(TrafficBytes.segments(request)).singleElement().isEqualTo(request.getBytes(StandardCharsets.UTF_8));
        assertThat(features.flowFields()).isTrue();
        assertThat(features.size()).isEqualTo(3 * 1 + 3 + 1 + FlowFields.SIZE);
        float[] row = new float[features.size()];
        features.extract(shaped, row, 0);
        int flow = 3 + 3 + 1;
        assertThat(row[6]).as("packet count").isEqualTo(3);
        assertThat(java.util.Arrays.copyOfRange(row, flow, flow + 11))
                .containsExactly(3, 2, 180, 1560, 1.25f, 1, 0, -1, 0, 1, 517);
        assertThat(row[flow + 11]).as("a fourth packet is missing").isNaN();
        assertThat(row[flow + FlowFields.SIZE - 1]).isNaN();
        features.extract("<pck>01", row, 0);
        assertThat(row[flow]).as("a text without the fields").isNaN();
        assertThat(ByteFeatures.fitted(List.of(new TrafficSample("b", "<pck>01", 2)), 3).flowFields()).isFalse();

        ByteFeatures noBytes = ByteFeatures.fitted(train, 0);
        assertThat(noBytes.width()).isZero();
        assertThat(noBytes.size()).as("lengths, count, flow fields").isEqualTo(3 + 1 + FlowFields.SIZE);
        float[] small = new float[noBytes.size()];
        noBytes.extract(shaped, small, 0);
        assertThat(java.util.Arrays.copyOfRange(small, 0, 6)).containsExactly(1, 1, 1, 3, 3, 2);
    }

    @Test
    void packetSlotsStopAtTen() {
        String longFlow = "<pck>00".repeat(14);
        ByteFeatures features = ByteFeatures.fitted(List.of(new TrafficSample("a", longFlow, 1)), 784);

        assertThat(features.packets()).isEqualTo(10);
        assertThat(features.width()).isEqualTo(78);
    }

    @Test
    void characterNgramsCountRepeatsAndHaveUnitLength() {
        CharNgrams ngrams = new CharNgrams(1, 2, 20);

        // "abab": a ×2, b ×2, ab ×2, ba ×1 → 1 + ln 2 three times and 1 once, before scaling
        CharNgrams.Row row = ngrams.extract("abab");

        assertThat(row.index()).hasSize(4).isSorted();
        assertThat(row.index()[0]).isPositive();
        assertThat(row.index()[3]).isLessThanOrEqualTo(1 << 20);
        double big = 1 + Math.log(2);
        double norm = Math.sqrt(3 * big * big + 1);
        assertThat(row.value()).containsExactlyInAnyOrder(big / norm, big / norm, big / norm, 1 / norm);
        double length = 0;
        for (double v : row.value()) {
            length += v * v;
        }
        assertThat(length).isCloseTo(1.0, within(1e-12));
        assertThat(ngrams.extract("abab").index()).containsExactly(row.index());
        assertThat(ngrams.extract("").index()).isEmpty();
    }

    @Test
    void ngramLengthsOutsideTheRangeAreNotCounted() {
        CharNgrams trigrams = new CharNgrams(3, 3, 20);

        assertThat(trigrams.extract("ab").index()).isEmpty();
        assertThat(trigrams.extract("abcabc").index()).as("abc twice, bca, cab").hasSize(3);
    }
}

package org.trafficllm.dataset.layout.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.dataset.impl.SharedData;

class DeepTrafficIdxLayoutTest {
    private final DeepTrafficIdxLayout layout = new DeepTrafficIdxLayout();

    @TempDir
    Path temp;

    @Test
    void readsAll10690SessionsOfTheTwentyClassView() throws Exception {
        RecordingContext context = read(SharedData.path("ustc-tfc2016/deeptraffic-idx/20class/SessionL7"));
        assertThat(context.samples).hasSize(10_690);
        assertThat(context.skips).isEmpty();
        assertThat(context.labels).hasSize(20).startsWith("BitTorrent", "Facetime").endsWith("Virut", "Zeus");
        assertThat(context.samples).extracting(RecordingContext.Sample::label).containsOnlyElementsOf(context.labels)
                .contains(context.labels.toArray(String[]::new));
        assertThat(context.count("Shifu")).isEqualTo(759);
        assertThat(context.count("Miuref")).isEqualTo(385);
        assertThat(context.samples).allSatisfy(sample -> {
            assertThat(sample.text()).startsWith("<pck>").doesNotEndWith("00").hasSizeLessThanOrEqualTo(5 + 2 * 784);
            assertThat(sample.text().substring(5)).matches("[0-9a-f]+");
        });

        // identical sessions exist; the builder groups them by text
        Map<String, Integer> copies = new HashMap<>();
        context.samples.forEach(sample -> copies.merge(sample.text(), 1, Integer::sum));
        assertThat(copies).hasSize(10_383);
        assertThat(copies.values().stream().filter(n -> n > 1).count()).isEqualTo(207);
        Map<String, Set<String>> labelsOfText = new HashMap<>();
        context.samples.forEach(s -> labelsOfText.computeIfAbsent(s.text(), t -> new HashSet<>()).add(s.label()));
        assertThat(labelsOfText.values().stream().filter(l -> l.size() > 1))
                .hasSize(3).allSatisfy(l -> assertThat(l).containsExactlyInAnyOrder("Neris", "Virut"));
    }

    @Test
    void theTwoClassViewHoldsTheSameSessions() throws Exception {
        RecordingContext twenty = read(SharedData.path("ustc-tfc2016/deeptraffic-idx/20class/SessionL7"));
        RecordingContext two = read(SharedData.path("ustc-tfc2016/deeptraffic-idx/2class/SessionL7"));
        assertThat(two.labels).containsExactly("benign", "malware");
        assertThat(two.count("benign")).isEqualTo(5_061);
        assertThat(two.count("malware")).isEqualTo(5_629);
        assertThat(two.samples.stream().map(RecordingContext.Sample::text).sorted().toList())
                .isEqualTo(twenty.samples.stream().map(RecordingContext.Sample::text).sorted().toList());
        Set<String> malwareNames = Set.copyOf(DeepTrafficIdxLayout.TWENTY_CLASSES.subList(10, 20));
        Map<String, String> benignOrMalware = new HashMap<>();
        twenty.samples.forEach(s -> benignOrMalware.put(s.text(), malwareNames.contains(s.label()) ? "malware" : "benign"));
        assertThat(two.samples).allSatisfy(s -> assertThat(s.label()).isEqualTo(benignOrMalware.get(s.text())));
    }

    @Test
    void rendersTheHexOfThePayloadWithoutItsZeroPadding() throws Exception {
        byte[] first = new byte[16];
        first[0] = 0x16;
        first[1] = 0x03;
        first[3] = (byte) 0xff;
        byte[] second = new byte[16];
        Arrays.fill(second, (byte) 0x41);
        Path folder = idx(temp, 4, 4, new byte[] {1, 0}, first, second);
        RecordingContext context = read(folder);
        assertThat(context.samples).extracting(RecordingContext.Sample::text)
                .containsExactly("<pck>160300ff", "<pck>" + "41".repeat(16));
        assertThat(context.samples).extracting(RecordingContext.Sample::label).containsExactly("1", "0");
        RecordingContext named = new RecordingContext(folder, Granularity.FLOW);
        named.options.put("classes", "alpha, beta");
        layout.read(named);
        assertThat(named.samples).extracting(RecordingContext.Sample::label).containsExactly("beta", "alpha");
    }

    @Test
    void allZeroRecordsAndUnnamedClassesAreSkippedAndCounted() throws Exception {
        Path folder = idx(temp, 2, 2, new byte[] {0, 5, 1}, new byte[] {0, 0, 0, 0}, new byte[] {1, 2, 3, 4},
                new byte[] {9, 0, 0, 0});
        RecordingContext context = new RecordingContext(folder, Granularity.FLOW);
        context.options.put("classes", "2class");
        layout.read(context);
        assertThat(context.samples).extracting(RecordingContext.Sample::text).containsExactly("<pck>09");
        assertThat(context.skips).containsExactly(
                "images-idx3-ubyte.gz: record 0: empty payload: all zero bytes",
                "labels-idx1-ubyte.gz: record 1: class without a name: class 5 of 2");
    }

    @Test
    void badMagicStopsWithFileAndByte() throws Exception {
        Path folder = idx(temp, 2, 2, new byte[] {0}, new byte[] {1, 2, 3, 4});
        Path images = folder.resolve("images-idx3-ubyte.gz");
        byte[] raw = TestFiles.gunzip(images);
        raw[3] = 0x01;
        Files.write(images, TestFiles.gzip(raw));
        assertThatThrownBy(() -> read(folder)).isInstanceOf(DatasetException.class)
                .hasMessage("images-idx3-ubyte.gz: bad magic 0x00000801 at byte 0 (expected 0x00000803)");
    }

    @Test
    void truncatedImagesStopWithTheRecordNumber() throws Exception {
        Path folder = idx(temp, 2, 2, new byte[] {0, 1, 0}, new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8},
                new byte[] {9, 9, 9, 9});
        Path images = folder.resolve("images-idx3-ubyte.gz");
        byte[] raw = TestFiles.gunzip(images);
        Files.write(images, TestFiles.gzip(Arrays.copyOf(raw, 16 + 4 + 2)));
        assertThatThrownBy(() -> read(folder)).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("images-idx3-ubyte.gz: truncated at record 1 (");
    }

    @Test
    void labelCountMismatchStops() throws Exception {
        Path folder = idx(temp, 2, 2, new byte[] {0, 1}, new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> read(folder)).isInstanceOf(DatasetException.class)
                .hasMessage("images-idx3-ubyte.gz: 1 records but labels-idx1-ubyte.gz has 2 labels");
    }

    @Test
    void truncatedGzipOfTheLabelsStops() throws Exception {
        Path folder = idx(temp, 2, 2, new byte[] {0}, new byte[] {1, 2, 3, 4});
        Path labels = folder.resolve("labels-idx1-ubyte.gz");
        byte[] gz = Files.readAllBytes(labels);
        Files.write(labels, Arrays.copyOf(gz, 12));
        assertThatThrownBy(() -> read(folder)).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("labels-idx1-ubyte.gz: truncated");
    }

    private RecordingContext read(Path folder) throws IOException {
        RecordingContext context = new RecordingContext(folder, Granularity.FLOW);
        layout.read(context);
        return context;
    }

    /** Writes a gzip idx pair of {@code rows x columns} records into a new folder. */
    static Path idx(Path parent, int rows, int columns, byte[] labels, byte[]... records) throws IOException {
        Path folder = Files.createTempDirectory(parent, "idx");
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(images);
        out.writeInt(DeepTrafficIdxLayout.IMAGES_MAGIC);
        out.writeInt(records.length);
        out.writeInt(rows);
        out.writeInt(columns);
        for (byte[] record : records) {
            out.write(Arrays.copyOf(record, rows * columns));
        }
        ByteArrayOutputStream labelBytes = new ByteArrayOutputStream();
        DataOutputStream labelOut = new DataOutputStream(labelBytes);
        labelOut.writeInt(DeepTrafficIdxLayout.LABELS_MAGIC);
        labelOut.writeInt(labels.length);
        labelOut.write(labels);
        Files.write(folder.resolve("images-idx3-ubyte.gz"), TestFiles.gzip(images.toByteArray()));
        Files.write(folder.resolve("labels-idx1-ubyte.gz"), TestFiles.gzip(labelBytes.toByteArray()));
        return folder;
    }
}

package org.trafficllm.dataset.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.SplitMode;
import org.trafficllm.api.dataset.dto.BuildProgressDTO;
import org.trafficllm.api.dataset.dto.ClassCountDTO;
import org.trafficllm.api.dataset.dto.DatasetRequestDTO;
import org.trafficllm.api.dataset.dto.DatasetResultDTO;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.dataset.layout.impl.CsicRequestLayout;
import org.trafficllm.dataset.layout.impl.DeepTrafficIdxLayout;

import org.trafficllm.text.impl.HttpRequestText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class TrafficDatasetBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final BuiltInTaskCatalog catalog = new BuiltInTaskCatalog();

    @Test
    void groupSplitNeverPutsAGroupOrATwinOnBothSides() throws Exception {
        for (int seed = 0; seed < 25; seed++) {
            Random random = new Random(seed);
            SyntheticLayout layout = new SyntheticLayout();
            int groups = 5 + random.nextInt(60);
            for (int g = 0; g < groups; g++) {
                String label = "class" + random.nextInt(4);
                int size = 1 + (random.nextInt(5) == 0 ? random.nextInt(200) : random.nextInt(6));
                for (int i = 0; i < size; i++) {
                    // about one sample in ten repeats a text that other groups (and classes) use too
                    String text = random.nextInt(10) == 0 ? "twin" + random.nextInt(8) : "g" + g + "s" + i;
                    layout.add(label, random.nextInt(7) == 0 ? null : "flow" + g, text);
                }
            }
            DatasetRequestDTO request = request("synthetic", "EAC");
            request.seed = seed;
            request.trainRatio = 0.5 + random.nextInt(45) / 100.0;
            DatasetResultDTO result = builder(layout).build(request, null);

            Map<String, Boolean> sideOfText = new HashMap<>();
            Map<String, Set<Boolean>> sidesOfGroup = new HashMap<>();
            Map<String, Integer> writtenGroupOfText = new HashMap<>();
            record(result.trainFile, false, sideOfText, writtenGroupOfText);
            record(result.testFile, true, sideOfText, writtenGroupOfText);
            Map<String, Set<Integer>> writtenGroupsOfGroup = new HashMap<>();
            for (SyntheticLayout.Sample sample : layout.samples) {
                assertThat(sideOfText).as("seed %d: %s", seed, sample.text()).containsKey(sample.text());
                if (sample.group() != null) {
                    sidesOfGroup.computeIfAbsent(sample.group(), k -> new HashSet<>()).add(sideOfText.get(sample.text()));
                    writtenGroupsOfGroup.computeIfAbsent(sample.group(), k -> new HashSet<>())
                            .add(writtenGroupOfText.get(sample.text()));
                }
            }
            assertThat(sidesOfGroup.values()).as("seed %d", seed).allSatisfy(sides -> assertThat(sides).hasSize(1));
            // the lines name their split group: one number per layout group (twins included), on one side only
            assertThat(writtenGroupsOfGroup.values()).as("seed %d", seed)
                    .allSatisfy(written -> assertThat(written).hasSize(1));
            Map<Integer, Set<Boolean>> sidesOfWrittenGroup = new HashMap<>();
            writtenGroupOfText.forEach((text, group) -> sidesOfWrittenGroup
                    .computeIfAbsent(group, k -> new HashSet<>()).add(sideOfText.get(text)));
            assertThat(sidesOfWrittenGroup).hasSize((int) result.groups)
                    .allSatisfy((group, sides) -> assertThat(sides).hasSize(1));
            assertThat(result.groupsOnBothSides).isZero();
            assertThat(result.train + result.test).isEqualTo(layout.samples.size());
            assertThat(lines(result.trainFile) + lines(result.testFile)).isEqualTo(layout.samples.size());
        }
    }

    @Test
    void sampleSplitReproducesTrafficLlmsLeak() throws Exception {
        SyntheticLayout layout = new SyntheticLayout();
        for (int g = 0; g < 20; g++) {
            for (int i = 0; i < 50; i++) {
                layout.add(g % 2 == 0 ? "a" : "b", "flow" + g, "g" + g + "s" + i);
            }
        }
        DatasetRequestDTO request = request("synthetic", "EAC");
        request.split = SplitMode.SAMPLE;
        DatasetResultDTO sampled = builder(layout).build(request, null);
        assertThat(sampled.groupsOnBothSides).isGreaterThan(10);
        assertThat(sampled.test).isEqualTo(200);

        request.split = SplitMode.GROUP;
        request.outputPath = temp.resolve("group").toString();
        DatasetResultDTO grouped = builder(layout).build(request, null);
        assertThat(grouped.groupsOnBothSides).isZero();
        assertThat(grouped.testGroups).isEqualTo(4);
        assertThat(grouped.test).isEqualTo(200);
    }

    @Test
    void webAttackDatasetFromCsicIsWrittenInTrafficLlmsFormat() throws Exception {
        DatasetRequestDTO request = request("csic-2010", null);
        request.input = SharedData.path("csic2010").toString();
        request.capPerClass = 2_000;
        List<BuildProgressDTO> progress = new ArrayList<>();
        DatasetResultDTO result = builder(new CsicRequestLayout(new HttpRequestText())).build(request,
                progress::add);

        assertThat(result.task).isEqualTo("WAD");
        assertThat(result.layout).isEqualTo("csic-2010");
        assertThat(result.renderer).isEqualTo("http-request");
        assertThat(Path.of(result.trainFile).getFileName()).hasToString("csic-2010_detection_packet_train.jsonl");
        assertThat(Path.of(result.testFile).getFileName()).hasToString("csic-2010_detection_packet_test.jsonl");
        assertThat(Files.readString(Path.of(result.labelFile))).isEqualTo("{\n    \"normal\": 0,\n    \"abnormal\": 1\n}");
        assertThat(result.classes).extracting(c -> c.label).containsExactly("normal", "abnormal");
        ClassCountDTO normal = result.classes.get(0);
        assertThat(normal.read).isEqualTo(28_738 + 28_778);
        assertThat(normal.capped).isEqualTo(normal.read - 2_000);
        assertThat(normal.train + normal.test).isEqualTo(2_000);
        assertThat(result.classes.get(1).read).isEqualTo(20_088);
        assertThat(result.train + result.test).isEqualTo(4_000);
        assertThat((double) result.test / 4_000).isBetween(0.17, 0.23);
        assertThat(result.groupsOnBothSides).isZero();
        assertThat(result.masked).isTrue();

        JsonNode first = JSON.readTree(Files.readAllLines(Path.of(result.trainFile)).get(0));
        // TrafficLLM's two fields, then the split group the tuning job's validation hold-out keeps together
        assertThat(first.fieldNames()).toIterable().containsExactly("instruction", "output", "group");
        assertThat(first.get("group").asInt()).isBetween(0, (int) result.groups - 1);
        assertThat(first.get("instruction").asText())
                .startsWith("Classify the given HTTP request into normal and abnormal categories.")
                .contains("The given HTTP request is as follows:\n<packet>: {\"method\": \"")
                .contains("\"url\": \"http://localhost:PORT_1/");
        assertThat(first.get("output").asText()).isIn("normal", "abnormal");

        assertThat(progress).extracting(p -> p.phase).contains("read", "split", "write");
        BuildProgressDTO last = progress.get(progress.size() - 1);
        assertThat(last.phase).isEqualTo("write");
        assertThat(last.done).isEqualTo(last.total).isEqualTo(4_000);
        assertThat(Files.readString(Path.of(result.reportFile))).contains("\"groupsOnBothSides\" : 0");
        assertThat(JSON.readTree(Path.of(result.taskFile).toFile()).get("labels").toString())
                .isEqualTo("[\"normal\",\"abnormal\"]");
        assertThat(JSON.readTree(Path.of(result.taskFile).toFile()).get("mask").toString())
                .as("what serving renders captures with").isEqualTo("[\"MAC\",\"IP\",\"PORT\",\"TIME\"]");
    }

    @Test
    void sameSeedAndInputGiveByteIdenticalFiles() throws Exception {
        DatasetRequestDTO request = request("ustc-tfc2016-idx", "MTD");
        request.input = SharedData.path("ustc-tfc2016/deeptraffic-idx/20class/SessionL7").toString();
        request.granularity = Granularity.FLOW;
        request.capPerClass = 150;
        DatasetResultDTO result = builder(new DeepTrafficIdxLayout()).build(request, null);
        Path firstRun = Files.createDirectory(temp.resolve("first"));
        Map<String, byte[]> first = snapshot(Path.of(request.outputPath));
        for (String name : first.keySet()) {
            Files.move(Path.of(request.outputPath, name), firstRun.resolve(name));
        }
        builder(new DeepTrafficIdxLayout()).build(request, null);
        Map<String, byte[]> second = snapshot(Path.of(request.outputPath));
        assertThat(second.keySet()).containsExactlyInAnyOrderElementsOf(first.keySet()).hasSize(5);
        for (String name : first.keySet()) {
            assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
        }

        request.seed = 7;
        request.outputPath = temp.resolve("seed7").toString();
        DatasetResultDTO other = builder(new DeepTrafficIdxLayout()).build(request, null);
        assertThat(Files.readAllBytes(Path.of(other.trainFile))).isNotEqualTo(first.get(
                Path.of(result.trainFile).getFileName().toString()));
        assertThat(result.classes).hasSize(20).allSatisfy(c -> assertThat(c.train + c.test).isEqualTo(150));
    }

    @Test
    void idxDuplicatesAreCountedDroppedOnRequestAndNeverSplit() throws Exception {
        DatasetRequestDTO request = request("ustc-tfc2016-idx", "MTD");
        request.input = SharedData.path("ustc-tfc2016/deeptraffic-idx/20class/SessionL7").toString();
        request.granularity = Granularity.FLOW;
        DatasetResultDTO kept = builder(new DeepTrafficIdxLayout()).build(request, null);
        assertThat(kept.samplesRead).isEqualTo(10_690);
        assertThat(kept.duplicatesRemoved).isZero();
        assertThat(kept.groups).isEqualTo(10_383);
        assertThat(kept.conflictingTexts).isEqualTo(3);
        assertThat(kept.groupsOnBothSides).isZero();
        assertThat(Path.of(kept.labelFile).getFileName()).hasToString("ustc-tfc2016-idx_label.json");

        request.dedup = true;
        request.outputPath = temp.resolve("dedup").toString();
        DatasetResultDTO dedup = builder(new DeepTrafficIdxLayout()).build(request, null);
        // 307 repeated records, of which 3 repeat a session under another class
        assertThat(dedup.duplicatesRemoved).isEqualTo(304);
        assertThat(dedup.train + dedup.test).isEqualTo(10_690 - 304);
        assertThat(dedup.groupsOnBothSides).isZero();
    }

    @Test
    void generationDatasetsAskForAClassAndAnswerWithTraffic() throws Exception {
        DatasetRequestDTO request = request("ustc-tfc2016-idx", null);
        request.input = SharedData.path("ustc-tfc2016/deeptraffic-idx/20class/SessionL7").toString();
        request.trafficTask = "generation";
        request.task = "MTG";
        request.granularity = Granularity.FLOW;
        request.capPerClass = 20;
        DatasetResultDTO result = builder(new DeepTrafficIdxLayout()).build(request, null);
        assertThat(result.labelFile).isNull();
        assertThat(Path.of(result.trainFile).getFileName()).hasToString("ustc-tfc2016-idx_generation_flow_train.jsonl");
        JsonNode line = JSON.readTree(Files.readAllLines(Path.of(result.trainFile)).get(0));
        assertThat(line.get("instruction").asText()).matches("Please generate a flow of [A-Za-z-]+ traffic\\.");
        assertThat(line.get("output").asText()).startsWith("<pck>");
    }

    @Test
    void maskingIsOnByDefaultAndCanBeSwitchedOff() throws Exception {
        assertThat(new DatasetRequestDTO().mask).isTrue();
        SyntheticLayout layout = new SyntheticLayout().add("a", null, "x").add("b", null, "y");
        builder(layout).build(request("synthetic", "EAC"), null);
        assertThat(layout.sawMask).isTrue();
        DatasetRequestDTO unmasked = request("synthetic", "EAC");
        unmasked.mask = false;
        unmasked.outputPath = temp.resolve("unmasked").toString();
        DatasetResultDTO result = builder(layout).build(unmasked, null);
        assertThat(layout.sawMask).isFalse();
        assertThat(result.masked).isFalse();
        assertThat(JSON.readTree(Path.of(result.taskFile).toFile()).get("mask").size())
                .as("an adapter trained on these files is served unmasked text").isZero();
    }

    @Test
    void aFailedBuildLeavesNoFilesAndKeepsThePreviousBuild() throws Exception {
        SyntheticLayout layout = new SyntheticLayout();
        for (int i = 0; i < 100; i++) {
            layout.add(i % 2 == 0 ? "a" : "b", null, "t" + i);
        }
        DatasetRequestDTO request = request("synthetic", "EAC");
        builder(layout).build(request, null);
        Map<String, byte[]> previous = snapshot(Path.of(request.outputPath));
        assertThat(previous).hasSize(5);

        layout.failAfter = 60;
        request.seed = 99;
        assertThatThrownBy(() -> builder(layout).build(request, null)).isInstanceOf(DatasetException.class)
                .hasMessage("synthetic.txt: record 60: broken on purpose");
        Map<String, byte[]> after = snapshot(Path.of(request.outputPath));
        assertThat(after.keySet()).isEqualTo(previous.keySet());
        previous.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));

        request.outputPath = temp.resolve("fresh").toString();
        assertThatThrownBy(() -> builder(layout).build(request, null)).isInstanceOf(DatasetException.class);
        assertThat(Path.of(request.outputPath)).satisfies(dir -> assertThat(!Files.exists(dir) || isEmpty(dir)).isTrue());
    }

    @Test
    void filesGetTheUsualPermissionsOfANewFileNotThoseOfATemporaryOne() throws Exception {
        SyntheticLayout layout = new SyntheticLayout().add("a", null, "x").add("b", null, "y").add("a", null, "z");
        DatasetRequestDTO request = request("synthetic", "EAC");
        builder(layout).build(request, null);
        Path folder = Path.of(request.outputPath);
        // what 0666 less this process's umask gives (0644 under the usual 022)
        Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(temp.resolve("probe")));
        assertThat(usual).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Map<String, byte[]> files = snapshot(folder);
        assertThat(files).hasSize(5).allSatisfy((name, bytes) -> assertThat(name).doesNotStartWith("."));
        for (String name : files.keySet()) {
            assertThat(Files.getPosixFilePermissions(folder.resolve(name))).as(name).isEqualTo(usual);
        }
    }

    @Test
    void badRequestsAreRefusedWithOneLine() {
        SyntheticLayout layout = new SyntheticLayout().add("a", null, "x");
        DatasetRequestDTO unknown = request("synthetic", "XYZ");
        assertThatThrownBy(() -> builder(layout).build(unknown, null)).hasMessageStartingWith("unknown task 'XYZ'");
        DatasetRequestDTO router = request("synthetic", "NLP");
        assertThatThrownBy(() -> builder(layout).build(router, null)).hasMessageContaining("stage-1 router");
        DatasetRequestDTO wrongKind = request("synthetic", "MTD");
        wrongKind.trafficTask = "generation";
        assertThatThrownBy(() -> builder(layout).build(wrongKind, null))
                .hasMessage("task MTD is a detection task, not generation");
        DatasetRequestDTO ratio = request("synthetic", "MTD");
        ratio.trainRatio = 1;
        assertThatThrownBy(() -> builder(layout).build(ratio, null)).hasMessageContaining("trainRatio");
        DatasetRequestDTO csicFlows = request("csic-2010", null);
        csicFlows.granularity = Granularity.FLOW;
        assertThatThrownBy(() -> builder(new CsicRequestLayout(new HttpRequestText())).build(csicFlows, null))
                .isInstanceOf(DatasetException.class).hasMessage("task WAD has no flow form");
        DatasetRequestDTO noLayout = request("synthetic", "MTD");
        noLayout.layout = "nope";
        assertThatThrownBy(() -> builder(layout).build(noLayout, null))
                .hasMessage("no dataset layout named 'nope'; registered: [class-folders, synthetic]");
        DatasetRequestDTO renderer = request("synthetic", "MTD");
        renderer.renderer = "payload-bytes";
        assertThatThrownBy(() -> builder(layout).build(renderer, null)).isInstanceOf(DatasetException.class)
                .hasMessage("renderer 'payload-bytes' is not available here: packet samples are rendered as synthetic");
        DatasetRequestDTO noTraffic = request("synthetic", "EVD");
        noTraffic.promptTemplate = "Is this a VPN? Answer {labels}.";
        assertThatThrownBy(() -> builder(layout).build(noTraffic, null)).isInstanceOf(DatasetException.class)
                .hasMessage("promptTemplate has no {traffic} field, so the samples' traffic would not be in it");
        assertThat(layout.sawMask).as("nothing was read for a refused request").isNull();
    }

    @Test
    void aRequestsOwnPromptTemplateNamesTheClassesFound() throws Exception {
        SyntheticLayout layout = new SyntheticLayout().add("vpn", null, "aa").add("non-vpn", null, "bb")
                .add("vpn", null, "cc").add("non-vpn", null, "dd").add("vpn", null, "ee");
        DatasetRequestDTO request = request("synthetic", "EVD");
        request.promptTemplate = "Is this <{granularity}> a VPN tunnel? Answer {labels}.\n<{granularity}>: {traffic}";
        DatasetResultDTO result = builder(layout).build(request, null);

        JsonNode task = JSON.readTree(Path.of(result.taskFile).toFile());
        // the classes (in the label file's order) are written into the template the task bundle serves with
        assertThat(task.get("promptTemplate").asText())
                .isEqualTo("Is this <{granularity}> a VPN tunnel? Answer non-vpn, vpn.\n<{granularity}>: {traffic}");
        assertThat(task.get("templateSource").asText()).isEqualTo("the dataset request");
        assertThat(task.get("name").asText()).isEqualTo("Encrypted VPN Detection");
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of(result.trainFile)));
        lines.addAll(Files.readAllLines(Path.of(result.testFile)));
        assertThat(lines).hasSize(5).allSatisfy(line -> assertThat(JSON.readTree(line).get("instruction").asText())
                .matches("Is this <packet> a VPN tunnel\\? Answer non-vpn, vpn\\.\n<packet>: (aa|bb|cc|dd|ee)"));

        DatasetRequestDTO plain = request("synthetic", "EVD");
        plain.outputPath = temp.resolve("plain").toString();
        assertThat(JSON.readTree(Path.of(builder(layout).build(plain, null).taskFile).toFile()).get("promptTemplate")
                .asText()).as("without one, TrafficLLM's template").contains("The categories include 'aim, bittorrent");
    }

    @Test
    void taskFollowsTheDatasetNameAsInTrafficLlm() throws Exception {
        SyntheticLayout layout = new SyntheticLayout().add("Neris", null, "x").add("Virut", null, "y");
        DatasetRequestDTO request = request("iscx-botnet", null);
        request.layout = "synthetic";
        assertThat(builder(layout).build(request, null).task).isEqualTo("BND");
        request.trafficTask = "generation";
        assertThat(builder(layout).build(request, null).task).isEqualTo("BTG");
        request.datasetName = "cstnet-2023";
        request.trafficTask = null;
        assertThat(builder(layout).build(request, null).task).isEqualTo("EAC");
    }

    private TrafficDatasetBuilder builder(org.trafficllm.api.dataset.DatasetLayout layout) {
        TrafficDatasetBuilder builder = new TrafficDatasetBuilder(catalog);
        String name = layout instanceof CsicRequestLayout ? "csic-2010"
                : layout instanceof DeepTrafficIdxLayout ? "ustc-tfc2016-idx" : "synthetic";
        builder.addLayout(name, layout, name);
        builder.addLayout("class-folders", new SyntheticLayout());
        return builder;
    }

    private DatasetRequestDTO request(String dataset, String task) {
        DatasetRequestDTO request = new DatasetRequestDTO();
        request.input = temp.toString();
        request.datasetName = dataset;
        request.task = task;
        request.outputPath = temp.resolve("out").toString();
        return request;
    }

    private static void record(String file, boolean test, Map<String, Boolean> sideOfText,
            Map<String, Integer> groupOfText) throws IOException {
        for (String line : Files.readAllLines(Path.of(file))) {
            JsonNode node = JSON.readTree(line);
            String instruction = node.get("instruction").asText();
            String text = instruction.substring(instruction.lastIndexOf("<packet>: ") + 10);
            Boolean before = sideOfText.put(text, test);
            assertThat(before == null || before == test).as("text %s on both sides", text).isTrue();
            assertThat(node.get("group").isInt()).as("group of %s", text).isTrue();
            Integer group = groupOfText.put(text, node.get("group").asInt());
            assertThat(group == null || group == node.get("group").asInt()).as("twins of %s share a group", text)
                    .isTrue();
        }
    }

    private static long lines(String file) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.count();
        }
    }

    private static Map<String, byte[]> snapshot(Path folder) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static boolean isEmpty(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.findAny().isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

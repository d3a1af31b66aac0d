package org.trafficllm.tuning.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.tuning.TuningException;

/**
 * The validation hold-out keeps a group on one side: the dataset builder's split group
 * (all packets of a flow) when the lines carry one, else identical instructions.
 */
class ValidationHoldOutTest {
    @TempDir
    Path temp;

    @Test
    void linesCarryTheBuildersGroupWhenTheyNameOne() throws Exception {
        Path file = temp.resolve("train.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"instruction\":\"a\",\"output\":\"x\",\"group\":17}",
                "{\"instruction\":\"b\",\"output\":\"y\",\"group\":\"flow 3\"}",
                "{\"instruction\":\"c\",\"output\":\"y\"}") + "\n");
        assertThat(DatasetFile.read(file)).extracting(DatasetFile.Line::group).containsExactly("17", "flow 3", null);

        Files.writeString(file, "{\"instruction\":\"a\",\"output\":\"x\",\"group\":1}\n"
                + "{\"instruction\":\"a\",\"output\":\"x\",\"group\":[1]}\n");
        assertThatThrownBy(() -> DatasetFile.read(file)).isInstanceOf(TuningException.class)
                .hasMessage(file + ":2: \"group\" is neither a whole number nor text");
    }

    @Test
    void theHoldOutKeyIsTheGroupElseTheInstruction() throws Exception {
        String head = "Which kind of traffic is this <flow>? It is alpha, beta or gamma.\n<flow>: ";
        String json = head.replace("\n", "\\n");
        Path file = temp.resolve("train.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"instruction\":\"" + json + "<pck>01\",\"output\":\"alpha\",\"group\":4}",
                "{\"instruction\":\"" + json + "<pck>02\",\"output\":\"alpha\",\"group\":4}",
                "{\"instruction\":\"" + json + "<pck>03\",\"output\":\"beta\"}",
                "{\"instruction\":\"" + json + "<pck>03\",\"output\":\"beta\"}") + "\n");
        List<TokenizedSamples.Parsed> parsed = TokenizedSamples.parse(file, DatasetFile.read(file),
                TuningFixtures.format(), TuningFixtures.task(), List.of("alpha", "beta", "gamma"), "the labels");
        assertThat(parsed.get(0).key()).isEqualTo(parsed.get(1).key()).doesNotContain("<pck>");
        assertThat(parsed.get(2).key()).isEqualTo(parsed.get(3).key()).isEqualTo(head + "<pck>03");
    }

    @Test
    void aGroupNeverLandsOnBothSides() {
        for (int seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            List<TokenizedSamples.Sample> samples = new ArrayList<>();
            Map<String, String> labelOfGroup = new HashMap<>();
            int groups = 10 + random.nextInt(40);
            for (int g = 0; g < groups; g++) {
                String label = "class" + random.nextInt(3);
                labelOfGroup.put("g" + g, label);
                // packets of one flow: different texts, one group
                for (int p = 0, n = 1 + random.nextInt(30); p < n; p++) {
                    samples.add(new TokenizedSamples.Sample(samples.size() + 1, "g" + g, label, new int[] {p}, 1, 0));
                }
            }
            List<List<TokenizedSamples.Sample>> parts = TokenizedSamples.holdOut(samples, 0.2, 10_000, seed);
            Set<String> trainGroups = new HashSet<>();
            parts.get(0).forEach(s -> trainGroups.add(s.key()));
            Set<String> validationGroups = new HashSet<>();
            parts.get(1).forEach(s -> validationGroups.add(s.key()));
            assertThat(validationGroups).as("seed %d", seed).isNotEmpty().doesNotContainAnyElementsOf(trainGroups);
            assertThat(parts.get(0).size() + parts.get(1).size()).isEqualTo(samples.size());
            // every label keeps at least one group for training
            assertThat(trainGroups.stream().map(labelOfGroup::get).distinct().count())
                    .isEqualTo(labelOfGroup.values().stream().distinct().count());
        }
    }
}

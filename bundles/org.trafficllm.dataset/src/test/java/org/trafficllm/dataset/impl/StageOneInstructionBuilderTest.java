package org.trafficllm.dataset.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.dto.ClassCountDTO;
import org.trafficllm.api.dataset.dto.CorrectionDTO;
import org.trafficllm.api.dataset.dto.InstructionSetRequestDTO;
import org.trafficllm.api.dataset.dto.InstructionSetResultDTO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The stage-1 set built from TrafficLLM's {@code instruction.json}. The expected
 * counts were measured on that file with an independent script over the same rules
 * (README of this module, "Instruction-set correction").
 */
class StageOneInstructionBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final StageOneInstructionBuilder builder = new StageOneInstructionBuilder(new BuiltInTaskCatalog());

    @Test
    void correctsTheMislabelledWebAttackAndAptRows() throws Exception {
        InstructionSetRequestDTO request = request(SharedData.path("trafficllm/instruction.json"));
        request.dedup = false;
        InstructionSetResultDTO result = builder.build(request, null);

        assertThat(result.rows).isEqualTo(9_209);
        assertThat(result.skipped).isZero();
        CorrectionDTO web = result.corrections.get(0);
        CorrectionDTO apt = result.corrections.get(1);
        assertThat(web.rule).isEqualTo("web-attack");
        assertThat(web.from).isEqualTo("Encrypted App Classification");
        assertThat(web.to).isEqualTo("Web Attack Detection");
        assertThat(web.rows).isEqualTo(608);
        assertThat(web.distinctInstructions).isEqualTo(607);
        assertThat(apt.rows).isEqualTo(609);
        assertThat(apt.distinctInstructions).isEqualTo(609);
        assertThat(web.examples).hasSize(5).allSatisfy(x -> assertThat(x.toLowerCase()).containsAnyOf("attack", "malicious", "inject"));
        assertThat(apt.examples).hasSize(5).allSatisfy(x -> assertThat(x.toLowerCase()).doesNotContain("drift"));

        Map<String, Long> read = counts(result);
        assertThat(read).containsEntry("Web Attack Detection", 608L).containsEntry("Encrypted App Classification", 611L)
                .containsEntry("APT Attack Detection", 609L).containsEntry("Concept Drift", 599L)
                .containsEntry("Botnet Detection", 1_076L).containsEntry("Botnet Traffic Generation", 143L);
        assertThat(read).hasSize(14);
        assertThat(read.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(9_209);
        assertThat(result.taskIds).containsEntry("Web Attack Detection", "WAD").containsEntry("APT Attack Detection", "AAD")
                .containsEntry("Concept Drift", "CD").hasSize(14);

        // the rules leave other tasks alone, and nothing web-like stays under app classification
        for (String line : Files.readAllLines(Path.of(result.trainFile))) {
            JsonNode row = JSON.readTree(line);
            if (row.get("output").asText().equals("Encrypted App Classification")) {
                assertThat(row.get("instruction").asText()).doesNotContainIgnoringCase("web attack");
            }
            if (row.get("output").asText().equals("Concept Drift")) {
                assertThat(row.get("instruction").asText()).doesNotContain("APT");
            }
        }
    }

    @Test
    void splitKeepsIdenticalInstructionsOnOneSide() throws Exception {
        InstructionSetResultDTO result = builder.build(request(SharedData.path("trafficllm/instruction.json")), null);
        assertThat(result.duplicatesRemoved).isEqualTo(552);
        assertThat(result.train + result.test).isEqualTo(8_657);
        assertThat(result.conflictingInstructions).isZero();
        Set<String> train = instructions(result.trainFile);
        Set<String> test = instructions(result.testFile);
        assertThat(train).doesNotContainAnyElementsOf(test);
        assertThat(train.size() + test.size()).isEqualTo(8_657);
        for (ClassCountDTO task : result.tasks) {
            assertThat((double) task.test / task.read).as(task.label).isBetween(0.08, 0.12);
        }
        assertThat(Files.readString(Path.of(result.labelFile))).startsWith("{\n    \"Malware Traffic Detection\": 0,\n");
        assertThat(JSON.readTree(Path.of(result.taskFile).toFile()).get("Encrypted VPN Generation").asText())
                .isEqualTo("EVG");
        assertThat(Path.of(result.reportFile)).exists();
    }

    @Test
    void withoutCorrectionTheDefectStays() throws Exception {
        InstructionSetRequestDTO request = request(SharedData.path("trafficllm/instruction.json"));
        request.correct = false;
        request.dedup = false;
        InstructionSetResultDTO result = builder.build(request, null);
        assertThat(result.corrections).isEmpty();
        assertThat(counts(result)).containsEntry("Encrypted App Classification", 1_219L)
                .containsEntry("Concept Drift", 1_208L).doesNotContainKeys("Web Attack Detection", "APT Attack Detection");
    }

    @Test
    void malformedLinesAreSkippedWithFileAndLine() throws Exception {
        Path file = temp.resolve("instruction.json");
        Files.writeString(file, String.join("\n",
                "{\"instruction\": \"Is this botnet traffic?\", \"output\": \"Botnet Detection\"}",
                "{\"instruction\": \"broken",
                "",
                "{\"instruction\": 7, \"output\": \"Botnet Detection\"}",
                "{\"instruction\": \"Which app?\", \"output\": \"App Guessing\"}",
                "{\"instruction\": \"Check these HTTP requests for SQL injection.\", "
                        + "\"output\": \"Encrypted App Classification\"}",
                "{\"instruction\": \"Which app is this?\", \"output\": \"Encrypted App Classification\"}") + "\n");
        InstructionSetResultDTO result = builder.build(request(file), null);
        assertThat(result.rows).isEqualTo(6);
        assertThat(result.skipped).isEqualTo(3);
        assertThat(result.skipMessages).hasSize(3);
        assertThat(result.skipMessages.get(0)).startsWith("instruction.json: line 2: not JSON: ");
        assertThat(result.skipMessages.get(1)).isEqualTo(
                "instruction.json: line 4: no text fields 'instruction' and 'output'");
        assertThat(result.skipMessages.get(2)).isEqualTo("instruction.json: line 5: unknown task name 'App Guessing'");
        assertThat(counts(result)).containsOnly(Map.entry("Botnet Detection", 1L),
                Map.entry("Web Attack Detection", 1L), Map.entry("Encrypted App Classification", 1L));
    }

    @Test
    void refusesABadRatio() {
        InstructionSetRequestDTO request = request(temp.resolve("none.json"));
        request.testRatio = 0;
        assertThatThrownBy(() -> builder.build(request, null)).isInstanceOf(DatasetException.class)
                .hasMessage("testRatio 0.0 is not between 0 and 1");
    }

    private InstructionSetRequestDTO request(Path input) {
        InstructionSetRequestDTO request = new InstructionSetRequestDTO();
        request.input = input.toString();
        request.outputPath = temp.resolve("out").toString();
        return request;
    }

    private static Map<String, Long> counts(InstructionSetResultDTO result) {
        Map<String, Long> counts = new HashMap<>();
        for (ClassCountDTO task : result.tasks) {
            counts.put(task.label, task.read);
        }
        return counts;
    }

    private static Set<String> instructions(String file) throws IOException {
        Set<String> instructions = new HashSet<>();
        List<String> lines = Files.readAllLines(Path.of(file));
        for (String line : lines) {
            instructions.add(JSON.readTree(line).get("instruction").asText());
        }
        return instructions;
    }
}

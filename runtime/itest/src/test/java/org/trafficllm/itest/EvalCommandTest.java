package org.trafficllm.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;
import org.trafficllm.api.eval.EvaluationService;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ClassificationRequest;
import org.trafficllm.api.model.ClassificationResult;
import org.trafficllm.api.task.TaskLifecycle;
import org.trafficllm.api.task.TaskPackager;

/**
 * {@code tllm:eval} through Gogo in the real framework: an installed task bundle and an
 * adapter directory are evaluated on a small test file made here, and the report's
 * figures are checked against the base model asked directly, sample by sample, with
 * prompts built as the prompt format documents them.
 */
@ExtendWith(ServiceExtension.class)
class EvalCommandTest {
    private static final String TASK = "EVALME";
    private static final String LORA = "golden-eval-lora";
    private static final String PREFIX = "golden-eval-prefix";
    /** The adapter directory's traffic budget (task.json): the traffic is cut to it. */
    private static final int BUDGET = 6;

    @InjectService(timeout = 120_000)
    static BaseModel model;

    @InjectService(timeout = 30_000)
    static TaskLifecycle lifecycle;

    @InjectService(timeout = 30_000)
    static TaskPackager packager;

    @InjectService(timeout = 30_000)
    EvaluationService evaluation;

    @InjectService(timeout = 30_000)
    CommandProcessor shell;

    @TempDir
    Path dir;

    @BeforeAll
    static void install(@TempDir Path jars) throws Exception {
        lifecycle.register(TaskFixtures.pack(packager, jars, TASK, "detection", "1.0.0", "llama-tiny-lora",
                "llama-tiny").toString());
        model.loadAdapter(LORA, AdapterFiles.of(TaskFixtures.fixtures().resolve("llama-tiny-lora")));
        model.loadAdapter(PREFIX, AdapterFiles.of(TaskFixtures.fixtures().resolve("llama-tiny-prefix")));
    }

    @AfterAll
    static void uninstall() throws Exception {
        model.unloadAdapter(LORA);
        model.unloadAdapter(PREFIX);
        lifecycle.unregister(TASK);
    }

    /** Traffic texts of both labels, seeded; in the traffic words' shape. */
    private static List<String[]> samples() {
        Random random = new Random(20);
        List<String[]> samples = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            StringBuilder payload = new StringBuilder();
            for (int b = 0; b < 8; b++) {
                payload.append(String.format("%02x", random.nextInt(256)));
            }
            String traffic = String.format("frame.len: %d, ip.proto: %d, tcp.srcport: %d, tcp.dstport: %d, "
                    + "tcp.flags: 0x%03x, tcp.payload: %s", 60 + random.nextInt(1400), i % 3 == 0 ? 17 : 6,
                    1024 + random.nextInt(60000), i % 2 == 0 ? 443 : 80, random.nextInt(512), payload);
            samples.add(new String[] {traffic, TaskFixtures.LABELS.get(i % 5 < 3 ? 0 : 1)});
        }
        return samples;
    }

    private Path testFile(List<String[]> samples) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String[] s : samples) {
            lines.append("{\"instruction\": \"Classify this packet.\\n<packet>: ").append(s[0])
                    .append("\", \"output\": \"").append(s[1]).append("\"}\n");
        }
        return Files.writeString(dir.resolve("evalme_test.jsonl"), lines, StandardCharsets.UTF_8);
    }

    /** What the base model answers with {@code adapter} for a prompt built here. */
    private static ClassificationResult direct(String adapter, String traffic, int budget, int reserved)
            throws Exception {
        ClassificationRequest r = new ClassificationRequest(adapter, null, TaskFixtures.LABELS);
        r.promptTokenIds = TaskFixtures.promptTokens(model, traffic, budget, reserved);
        return model.classify(r);
    }

    @Test
    void theInstalledTaskEvaluatedThroughGogoScoresWhatTheModelAnswers() throws Exception {
        List<String[]> samples = samples();
        Path test = testFile(samples);
        Path out = dir.resolve("report");
        String printed = String.valueOf(execute("tllm:eval --task " + TASK + " --test $test --out $out",
                Map.of("test", test.toString(), "out", out.toString())));

        List<ClassificationResult> direct = new ArrayList<>();
        for (String[] s : samples) {
            direct.add(direct(LORA, s[0], 0, 0));
        }
        EvaluationReportDTO report = evaluation.readJson(out.resolve("report.json"));
        assertMatches(report, samples, direct);
        assertAnswers(out, direct);
        assertThat(report.run.adapter).contains(TASK + " 1.0.0");
        assertThat(printed).contains("accuracy     " + String.format(java.util.Locale.ROOT, "%.4f", report.accuracy),
                "14 of 14 samples (every sample)", out.resolve("report.json").toString(),
                out.resolve("report.html").toString(), "samples/s");

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("id=\"confusion\"", "id=\"per-class\"", "echarts", "id=\"report-data\"", TASK);
    }

    @Test
    void anAdapterDirectoryIsAskedWithItsTaskJsonsPromptsAndTrafficLlmsParameterNamesWork() throws Exception {
        Path adapter = Files.createDirectories(dir.resolve("adapter"));
        for (String f : new String[] {"adapter_config.json", "adapter_model.safetensors"}) {
            Files.copy(TaskFixtures.fixtures().resolve("llama-tiny-prefix").resolve(f), adapter.resolve(f));
        }
        Files.writeString(adapter.resolve("task.json"), "{\"id\":\"" + TASK + "\",\"name\":\"evaluated\",\"kind\":"
                + "\"detection\",\"granularity\":\"packet\",\"renderer\":\"traffic-words\",\"labels\":[\"normal\","
                + "\"malware\"],\"promptTemplate\":\"" + TaskFixtures.TEMPLATE.replace("\n", "\\n")
                + "\",\"outputTemplate\":\"{label}\",\"trafficTokens\":" + BUDGET + "}");
        Path labels = Files.writeString(dir.resolve("labels.json"), "{\"normal\": 0, \"malware\": 1}");
        List<String[]> samples = samples();
        Path test = testFile(samples);
        Path out = dir.resolve("adapter-report");
        execute("tllm:eval --model_name_or_path llama-tiny --ptuning_checkpoint $adapter --test_file $test "
                + "--label_file $labels --traffic_task detection --output_dir $out", Map.of("adapter",
                        adapter.toString(), "test", test.toString(), "labels", labels.toString(), "out",
                        out.toString()));

        List<ClassificationResult> direct = new ArrayList<>();
        for (String[] s : samples) {
            direct.add(direct(PREFIX, s[0], BUDGET, 8));
            assertThat(direct(PREFIX, s[0], 0, 8).probabilities.get("normal"))
                    .as("the budget changes the answer's probability, so the checks below see it")
                    .isNotCloseTo(direct.get(direct.size() - 1).probabilities.get("normal"), within(1e-4));
        }
        EvaluationReportDTO report = evaluation.readJson(out.resolve("report.json"));
        assertMatches(report, samples, direct);
        assertAnswers(out, direct);
        assertThat(report.run.model).startsWith("llama-tiny");
        assertThat(report.run.notes).contains("traffic budget " + BUDGET + " tokens (14 samples cut)");
        assertThat(Files.readString(out.resolve("report.html"))).contains("id=\"confusion\"", "echarts");
    }

    @Test
    void badInputFailsInOneLineNamingFileAndLineAndWritesNothing() throws Exception {
        Path test = testFile(samples());
        List<String> lines = new ArrayList<>(Files.readAllLines(test));
        lines.set(2, lines.get(2).substring(0, 30));
        Files.write(test, lines);
        Path out = dir.resolve("never");
        assertThatThrownBy(() -> execute("tllm:eval --task " + TASK + " --test $test --out $out",
                Map.of("test", test.toString(), "out", out.toString())))
                .hasMessageStartingWith(test + ":3: not JSON: ").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> execute("tllm:eval --traffic_task generation --test $test",
                Map.of("test", test.toString()))).hasMessageContaining("--traffic_task generation");
        assertThatThrownBy(() -> execute("tllm:eval --task NOPE --test $test --out $out",
                Map.of("test", test.toString(), "out", out.toString())))
                .hasMessageStartingWith("task 'NOPE' is not installed; installed: ").hasMessageContaining(TASK);
        assertThat(out).doesNotExist();
    }

    /** The report's figures against predictions made here, counted here. */
    private static void assertMatches(EvaluationReportDTO report, List<String[]> samples,
            List<ClassificationResult> predicted) {
        long[][] confusion = new long[2][3];
        long correct = 0;
        for (int i = 0; i < samples.size(); i++) {
            int row = TaskFixtures.LABELS.indexOf(samples.get(i)[1]);
            int column = TaskFixtures.LABELS.indexOf(predicted.get(i).label);
            confusion[row][column < 0 ? 2 : column]++;
            correct += row == column ? 1 : 0;
        }
        assertThat(report.labels).containsExactlyElementsOf(TaskFixtures.LABELS);
        assertThat(report.samples).isEqualTo(samples.size());
        assertThat(report.correct).isEqualTo(correct);
        assertThat(report.invalid).isZero();
        assertThat(report.accuracy).isEqualTo((double) correct / samples.size());
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                assertThat(report.confusion.counts.get(r).get(c)).as("confusion[%d][%d]", r, c)
                        .isEqualTo(confusion[r][c]);
            }
        }
        assertThat(report.perClass.get(0).support).isEqualTo(confusion[0][0] + confusion[0][1]);
    }

    /** Every line of predictions.jsonl: the sample's line, the label and score the model gave it here. */
    private static void assertAnswers(Path out, List<ClassificationResult> direct) throws Exception {
        List<String> lines = Files.readAllLines(out.resolve("predictions.jsonl"));
        assertThat(lines).hasSize(direct.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            ClassificationResult r = direct.get(i);
            assertThat(line).startsWith("{\"line\":" + (i + 1) + ",").contains("\"predicted\":\"" + r.label + "\"");
            int at = line.indexOf("\"score\":") + "\"score\":".length();
            double score = Double.parseDouble(line.substring(at, line.indexOf(',', at)));
            assertThat(score).as("line %d", i + 1).isCloseTo(r.probabilities.get(r.label), within(1e-5));
        }
    }

    private Object execute(String line, Map<String, String> variables) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession session = shell.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(out),
                new PrintStream(out))) {
            variables.forEach(session::put);
            return session.execute(line);
        }
    }
}

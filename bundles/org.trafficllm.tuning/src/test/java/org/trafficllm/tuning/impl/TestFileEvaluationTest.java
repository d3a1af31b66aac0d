package org.trafficllm.tuning.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.EvaluationRequestDTO;
import org.trafficllm.api.tuning.dto.EvaluationResultDTO;
import org.trafficllm.api.tuning.dto.TuningProgressDTO;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.api.tuning.dto.TuningResultDTO;
import org.trafficllm.eval.impl.ClassificationReportService;
import org.trafficllm.model.impl.StandaloneModels;

/**
 * The evaluation of an adapter directory on a test file, against what the tuning job
 * measured when it wrote the adapter.
 */
class TestFileEvaluationTest {
    @TempDir
    static Path shared;
    static StandaloneModels models;
    static BaseModel base;
    static CpuTuningService service;
    static Path data;
    static Path adapter;
    static TuningResultDTO trained;
    static EvaluationReportDTO trainingMetrics;

    @TempDir
    Path tmp;

    @BeforeAll
    static void train() throws Exception {
        models = new StandaloneModels();
        base = models.load(TuningFixtures.BASE, "1.0.0", TuningFixtures.modelDir(shared));
        service = new CpuTuningService(TuningFixtures.services(models, new LocalBaseModels(models)
                .register(TuningFixtures.BASE, base)));
        data = shared.resolve("data");
        Path train = TuningFixtures.dataset(data, "tst_detection_flow", 20, 6, 11);
        adapter = shared.resolve("adapter");
        TuningRequestDTO r = TuningFixtures.request(train, adapter);
        // Half-trained, so the answers are mixed and near ties exist: reproducing them needs the same prompts.
        r.maxSteps = 8;
        r.checkpointEvery = 4;
        trained = service.tune(r, null);
        trainingMetrics = new ClassificationReportService().readJson(adapter.resolve("metrics.json"));
    }

    @AfterAll
    static void close() {
        StandaloneModels.unload(base);
        models.close();
    }

    private static Path testFile() {
        return data.resolve("tst_detection_flow_test.jsonl");
    }

    private EvaluationRequestDTO request(Path test, Path out) {
        EvaluationRequestDTO r = new EvaluationRequestDTO();
        r.adapter = adapter.toString();
        r.test = test.toString();
        r.output = out.toString();
        return r;
    }

    @Test
    void theAdapterDirectoryEvaluatedOnItsTestFileGivesTheMetricsItsTrainingWrote() throws Exception {
        List<TuningProgressDTO> progress = new ArrayList<>();
        EvaluationRequestDTO r = request(testFile(), tmp.resolve("eval"));
        r.task = "TST";
        EvaluationResultDTO result = service.evaluate(r, progress::add);

        EvaluationReportDTO report = new ClassificationReportService().readJson(Path.of(result.reportJson));
        assertThat(report).usingRecursiveComparison().ignoringFields("run", "evaluationMillis", "created")
                .isEqualTo(trainingMetrics);
        assertThat(report.samples).isEqualTo(18);
        assertThat(trainingMetrics.correct).as("a half-trained adapter: some answers right, some wrong")
                .isBetween(1L, 17L);
        assertThat(report.run.task).isEqualTo("TST");
        assertThat(report.run.adapter).contains("LORA", adapter.toString());
        assertThat(report.run.notes).contains("traffic budget 48 tokens", "every sample");
        assertThat(result.accuracy).isEqualTo(trained.testAccuracy);
        assertThat(result.macroF1).isEqualTo(trained.testMacroF1);
        assertThat(result.samples).isEqualTo(18);
        assertThat(result.selection).isEqualTo("every sample");
        assertThat(result.samplesPerSecond).isPositive();

        String html = Files.readString(Path.of(result.reportHtml));
        assertThat(html).contains("echarts", "invalid", "TST");
        List<String> lines = Files.readAllLines(Path.of(result.predictions));
        assertThat(lines).hasSize(18);
        long correct = 0;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode n = DatasetFile.JSON.readTree(lines.get(i));
            assertThat(n.get("line").asInt()).isEqualTo(i + 1);
            assertThat(n.get("expected").asText()).isEqualTo(TuningFixtures.LABELS.get(i % 3));
            correct += n.get("correct").asBoolean() ? 1 : 0;
        }
        assertThat(correct).isEqualTo(report.correct);

        TuningProgressDTO last = progress.get(progress.size() - 1);
        assertThat(last.phase).isEqualTo("evaluate");
        assertThat(last.samples).isEqualTo(18);
        assertThat(last.totalSamples).isEqualTo(18);
        assertThat(progress).as("a report after every batch of 16").hasSize(2);
        assertThat(progress.get(0).samples).isEqualTo(16);
    }

    @Test
    void answersOutsideTheLabelFileCountAsInvalid() throws Exception {
        // gamma's samples relabelled omega: the adapter still answers among alpha, beta, gamma
        Path test = tmp.resolve("relabelled_test.jsonl");
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(testFile())) {
            out.add(l.replace("\"output\":\"gamma\"", "\"output\":\"omega\""));
        }
        Files.write(test, out);
        Path labels = tmp.resolve("labels.json");
        Files.writeString(labels, "{\"alpha\": 0, \"beta\": 1, \"omega\": 2}");
        EvaluationRequestDTO r = request(test, tmp.resolve("eval"));
        r.labels = labels.toString();
        EvaluationResultDTO result = service.evaluate(r, null);

        EvaluationReportDTO report = new ClassificationReportService().readJson(Path.of(result.reportJson));
        long answeredGamma = 0;
        for (List<Long> row : trainingMetrics.confusion.counts) {
            answeredGamma += row.get(2);
        }
        assertThat(report.labels).containsExactly("alpha", "beta", "omega");
        assertThat(report.invalid).isEqualTo(answeredGamma).isEqualTo(result.invalid);
        assertThat(report.correct).isEqualTo(trainingMetrics.confusion.counts.get(0).get(0)
                + trainingMetrics.confusion.counts.get(1).get(1));
        assertThat(report.confusion.counts.get(2).get(3)).as("omega's samples answered gamma")
                .isEqualTo(trainingMetrics.confusion.counts.get(2).get(2));
        assertThat(report.run.notes).contains("answers [gamma] are outside the label set");
    }

    @Test
    void aLimitDrawsASeededSubsetKeepingEachLabelsShare() throws Exception {
        // 12 alpha, then 6 beta, then 3 gamma: the first lines alone would all be alpha
        Path test = tmp.resolve("unbalanced_test.jsonl");
        Random random = new Random(5);
        StringBuilder lines = new StringBuilder();
        Map<String, Integer> counts = new LinkedHashMap<>(Map.of("alpha", 12, "beta", 6, "gamma", 3));
        for (String label : TuningFixtures.LABELS) {
            for (int i = 0; i < counts.get(label); i++) {
                lines.append(TuningFixtures.sample(label, random));
            }
        }
        Files.writeString(test, lines, StandardCharsets.UTF_8);

        EvaluationRequestDTO r = request(test, tmp.resolve("a"));
        r.limit = 7;
        EvaluationResultDTO a = service.evaluate(r, null);
        EvaluationReportDTO report = new ClassificationReportService().readJson(Path.of(a.reportJson));
        assertThat(report.perClass).extracting(c -> c.support).containsExactly(4L, 2L, 1L);
        assertThat(a.samples).isEqualTo(7);
        assertThat(a.testSamples).isEqualTo(21);
        assertThat(a.selection).isEqualTo("seeded per-class draw, seed 42");
        assertThat(report.run.notes).contains("7 of 21 samples, seeded per-class draw, seed 42");
        assertThat(report.run.testSamples).isEqualTo(21);

        r.output = tmp.resolve("b").toString();
        EvaluationResultDTO again = service.evaluate(r, null);
        r.output = tmp.resolve("c").toString();
        r.seed = 43;
        EvaluationResultDTO other = service.evaluate(r, null);
        assertThat(drawnLines(again)).isEqualTo(drawnLines(a));
        assertThat(drawnLines(other)).isNotEqualTo(drawnLines(a));
        assertThat(drawnLines(other)).hasSize(7);

        // shares 5.71, 2.86 and 1.43 of 10: the whole parts, then the largest remainders (beta's, alpha's)
        r.limit = 10;
        r.output = tmp.resolve("d").toString();
        EvaluationReportDTO ten = new ClassificationReportService().readJson(Path.of(service.evaluate(r, null)
                .reportJson));
        assertThat(ten.perClass).extracting(c -> c.support).containsExactly(6L, 3L, 1L);
    }

    private static List<Integer> drawnLines(EvaluationResultDTO r) throws Exception {
        List<Integer> lines = new ArrayList<>();
        for (String l : Files.readAllLines(Path.of(r.predictions))) {
            lines.add(DatasetFile.JSON.readTree(l).get("line").asInt());
        }
        return lines;
    }

    @Test
    void badInputIsOneLineNamingTheFileAndLineAndNothingIsWritten() throws Exception {
        Path test = tmp.resolve("broken_test.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(testFile()));
        lines.set(4, "{\"instruction\": \"x\", \"output\": ");
        Files.write(test, lines);
        Path out = tmp.resolve("eval");
        assertThatThrownBy(() -> service.evaluate(request(test, out), null)).isInstanceOf(TuningException.class)
                .hasMessageStartingWith(test + ":5: not JSON: ").hasMessageNotContaining("\n");
        assertThat(out).doesNotExist();

        Path labels = tmp.resolve("labels.json");
        Files.writeString(labels, "{\"alpha\": 0, \"beta\": 1}");
        EvaluationRequestDTO r = request(testFile(), out);
        r.labels = labels.toString();
        assertThatThrownBy(() -> service.evaluate(r, null)).hasMessage(testFile() + ":3: answer 'gamma' is not in "
                + "the label file " + labels + " [alpha, beta]");
        assertThat(out).doesNotExist();

        assertThatThrownBy(() -> service.evaluate(request(tmp.resolve("none.jsonl"), out), null))
                .hasMessage(tmp.resolve("none.jsonl") + ": no such file");

        Path generation = tmp.resolve("gen_task.json");
        Files.writeString(generation, Files.readString(data.resolve("tst_detection_flow_task.json"))
                .replace("\"DETECTION\"", "\"GENERATION\""));
        EvaluationRequestDTO g = request(testFile(), out);
        g.taskFile = generation.toString();
        assertThatThrownBy(() -> service.evaluate(g, null)).hasMessage("task TST is a generation task; evaluation "
                + "classifies (detection tasks and the router)");

        EvaluationRequestDTO other = request(testFile(), out);
        other.baseModel = gpt2(tmp).toString();
        assertThatThrownBy(() -> service.evaluate(other, null)).isInstanceOf(TuningException.class)
                .hasMessageContaining(adapter.toString())
                .hasMessageEndingWith("(adapter trained over 'llama-tiny', evaluated over gpt2-tiny (" + gpt2(tmp)
                        + "))").hasMessageNotContaining("\n");

        EvaluationRequestDTO installed = new EvaluationRequestDTO();
        installed.task = "TST";
        installed.test = testFile().toString();
        installed.output = out.toString();
        assertThatThrownBy(() -> service.evaluate(installed, null)).hasMessage("no task registry runs here to "
                + "evaluate installed task 'TST'; give an adapter directory (--adapter)");
        assertThat(out).doesNotExist();
    }

    @Test
    void anInterruptStopsAfterTheBatchAndWritesNothing() {
        Path out = tmp.resolve("eval");
        Thread self = Thread.currentThread();
        assertThatThrownBy(() -> service.evaluate(request(testFile(), out), p -> self.interrupt()))
                .hasMessage("interrupted after 16 of 18 samples");
        assertThat(Thread.interrupted()).as("the interrupt is handed back").isTrue();
        assertThat(out).doesNotExist();
    }

    @Test
    void samplesWrittenInAnotherGranularityAreReadWithItsMarker() throws Exception {
        Path test = tmp.resolve("packets_test.jsonl");
        Files.writeString(test, Files.readString(testFile()).replace("<flow>", "<packet>"));
        EvaluationRequestDTO r = request(test, tmp.resolve("eval"));
        assertThatThrownBy(() -> service.evaluate(r, null)).hasMessage(test + ":1: instruction has no traffic marker "
                + "'<flow>: ' of task TST");
        r.granularity = org.trafficllm.api.task.Granularity.PACKET;
        assertThat(service.evaluate(r, null).samples).isEqualTo(18);
    }

    @Test
    void theBaseModelDefaultsToTheOneTheAdapterNames() throws Exception {
        Path adapters = Files.createDirectories(tmp.resolve("adapters/mtd"));
        assertThat(TestFileEvaluation.baseOf("", adapters)).isEqualTo("nano");
        assertThat(TestFileEvaluation.baseOf("llama-tiny", adapters)).isEqualTo("llama-tiny");
        assertThat(TestFileEvaluation.baseOf("meta-llama/Llama-2-7b-hf", adapters)).isEqualTo("Llama-2-7b-hf");
        assertThat(TestFileEvaluation.baseOf("../../models/tinyllama/", adapters)).isEqualTo("tinyllama");
        Path model = TuningFixtures.modelDir(tmp.resolve("models"));
        assertThat(TestFileEvaluation.baseOf("../../models/llama-tiny", adapters)).isEqualTo(model.toString());
        assertThat(TestFileEvaluation.baseOf(model.toString(), adapters)).isEqualTo(model.toString());
    }

    /** The gpt2-tiny fixture as a model directory: a base model the llama adapter does not fit. */
    private static Path gpt2(Path into) throws Exception {
        Path dir = into.resolve("gpt2-tiny");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            for (String f : new String[] {"config.json", "model.safetensors"}) {
                Files.copy(TuningFixtures.fixtures().resolve("gpt2-tiny").resolve(f), dir.resolve(f));
            }
            Files.copy(TuningFixtures.fixtures().resolve("tokenizer/tokenizer.json"), dir.resolve("tokenizer.json"));
        }
        return dir;
    }
}

package org.trafficllm.tuning.impl;

import org.trafficllm.dataset.impl.TaskPromptFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ClassificationRequest;
import org.trafficllm.api.model.ClassificationResult;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.TuningProgressDTO;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.api.tuning.dto.TuningResultDTO;
import org.trafficllm.eval.impl.ClassificationReportService;
import org.trafficllm.model.impl.StandaloneModels;

class AdapterTuningJobTest {
    @TempDir
    static Path shared;
    static StandaloneModels models;
    static BaseModel base;
    static CpuTuningService service;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        models = new StandaloneModels();
        base = models.load(TuningFixtures.BASE, "1.0.0", TuningFixtures.modelDir(shared));
        service = new CpuTuningService(TuningFixtures.services(models, new LocalBaseModels(models)
                .register(TuningFixtures.BASE, base)));
    }

    @AfterAll
    static void close() {
        StandaloneModels.unload(base);
        models.close();
    }

    @Test
    void trainsValidatesKeepsTheBestAndWritesAPeftAdapterThatReloadsWithIdenticalAnswers() throws Exception {
        Path train = TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 20, 6, 1);
        List<TuningProgressDTO> reports = new ArrayList<>();
        TuningResultDTO r = service.tune(TuningFixtures.request(train, tmp.resolve("out")), reports::add);

        Path out = tmp.resolve("out");
        assertThat(out.resolve("adapter_config.json")).exists();
        assertThat(out.resolve("MODEL.md")).content().contains("Test Traffic Detection (task TST)", "test macro-F1");
        JsonNode config = DatasetFile.JSON.readTree(out.resolve("adapter_config.json").toFile());
        assertThat(config.path("peft_type").asText()).isEqualTo("LORA");
        assertThat(config.path("r").asInt()).isEqualTo(4);
        assertThat(config.path("base_model_name_or_path").asText()).isEqualTo(TuningFixtures.BASE);
        assertThat(config.path("target_modules").toString()).isEqualTo("[\"q_proj\",\"v_proj\",\"o_proj\",\"up_proj\",\"down_proj\"]");
        assertThat(new String(Files.readAllBytes(out.resolve("adapter_model.safetensors")), StandardCharsets.ISO_8859_1))
                .contains("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight");
        JsonNode task = DatasetFile.JSON.readTree(out.resolve("task.json").toFile());
        assertThat(task.path("trafficTokens").asInt()).isEqualTo(48);
        assertThat(task.path("kind").asText()).isEqualTo("detection");
        assertThat(task.path("labels").toString()).isEqualTo("[\"alpha\",\"beta\",\"gamma\"]");

        assertThat(r.steps).isEqualTo(24);
        assertThat(r.validations).hasSize(4);
        assertThat(r.best.macroF1).isEqualTo(r.validations.stream().mapToDouble(v -> v.macroF1).max().orElseThrow());
        assertThat(r.trainSamples + r.validationSamples).isEqualTo(60);
        assertThat(r.testSamples).isEqualTo(18);
        assertThat(reports).anyMatch(p -> "train".equals(p.phase) && p.tokensPerSecond > 0 && p.etaMillis >= 0);
        assertThat(reports).anyMatch(p -> "validate".equals(p.phase) && p.validation != null);
        double firstLoss = reports.stream().filter(p -> "train".equals(p.phase) && !Double.isNaN(p.loss)).findFirst()
                .orElseThrow().loss;
        assertThat(r.validations.get(3).trainLoss).isLessThan(firstLoss / 2);
        assertThat(r.testAccuracy).as("the signatures tell the three labels apart").isGreaterThan(0.9);

        EvaluationReportDTO metrics = new ClassificationReportService().readJson(out.resolve("metrics.json"));
        assertThat(metrics.accuracy).isEqualTo(r.testAccuracy);
        assertThat(metrics.run.task).isEqualTo("TST");
        assertThat(metrics.samples).isEqualTo(18);

        // the written directory, loaded into a second, separately loaded copy of the base model
        BaseModel fresh = models.load(TuningFixtures.BASE, "1.0.0", TuningFixtures.modelDir(tmp.resolve("again")));
        try {
            base.loadAdapter("a", AdapterFiles.of(Path.of(r.checkpoints).resolve("best")));
            fresh.loadAdapter("b", AdapterFiles.of(out));
            List<ClassificationRequest> first = new ArrayList<>();
            List<ClassificationRequest> second = new ArrayList<>();
            TaskPromptFormat format = TuningFixtures.format();
            for (String line : Files.readAllLines(Path.of(r.output).getParent().resolve("data/tst_detection_flow_test.jsonl"))) {
                JsonNode n = DatasetFile.JSON.readTree(line);
                var prompt = format.parse(TuningFixtures.task(), n.get("instruction").asText(), n.get("output").asText());
                int[] ids = format.classificationTokens(base, prompt, 48, 0, TuningFixtures.LABELS).tokenIds;
                ClassificationRequest a = new ClassificationRequest("a", null, TuningFixtures.LABELS);
                a.promptTokenIds = ids;
                first.add(a);
                ClassificationRequest b = new ClassificationRequest("b", null, TuningFixtures.LABELS);
                b.promptTokenIds = ids;
                second.add(b);
            }
            List<ClassificationResult> x = base.classifyBatch(first);
            List<ClassificationResult> y = fresh.classifyBatch(second);
            for (int i = 0; i < x.size(); i++) {
                assertThat(y.get(i).label).isEqualTo(x.get(i).label);
                assertThat(y.get(i).probabilities).isEqualTo(x.get(i).probabilities);
            }
            long correct = 0;
            for (int i = 0; i < x.size(); i++) {
                correct += x.get(i).label.equals(TuningFixtures.LABELS.get(i % 3)) ? 1 : 0;
            }
            assertThat((double) correct / x.size()).isEqualTo(r.testAccuracy);
        } finally {
            base.unloadAdapter("a");
            StandaloneModels.unload(fresh);
        }
    }

    @Test
    void aContinuedAdapterKeepsItsShapeAndMustBeatItsOwnValidation() throws Exception {
        Path train = TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 20, 6, 5);
        TuningRequestDTO first = TuningFixtures.request(train, tmp.resolve("first"));
        first.maxSteps = 6;
        TuningResultDTO before = service.tune(first, null);

        TuningRequestDTO next = TuningFixtures.request(train, tmp.resolve("next"));
        next.initAdapter = tmp.resolve("first").toString();
        next.peft = "prefix";
        next.loraRank = 16;
        next.maxSteps = 12;
        List<TuningProgressDTO> reports = new ArrayList<>();
        TuningResultDTO after = service.tune(next, reports::add);

        JsonNode config = DatasetFile.JSON.readTree(tmp.resolve("next/adapter_config.json").toFile());
        assertThat(config.path("peft_type").asText()).as("the continued adapter's shape wins").isEqualTo("LORA");
        assertThat(config.path("r").asInt()).isEqualTo(4);
        assertThat(after.validations.get(0).step).isZero();
        assertThat(after.validations.get(0).macroF1).as("step 0 validates the adapter continued from")
                .isEqualTo(before.best.macroF1);
        assertThat(after.best.macroF1).isGreaterThanOrEqualTo(before.best.macroF1);
        assertThat(after.validations).hasSize(3);
        assertThat(reports).anyMatch(p -> p.message != null && p.message.contains("continuing " + tmp.resolve("first")));
        assertThat(tmp.resolve("next/MODEL.md")).content().contains("| started from | the weights of `"
                + tmp.resolve("first") + "`", "| 0 (the adapter continued from) |");
        double firstTrainLoss = reports.stream().filter(p -> "train".equals(p.phase) && !Double.isNaN(p.loss))
                .findFirst().orElseThrow().loss;
        assertThat(firstTrainLoss).as("training starts where the first run ended, not from PEFT's initialisation")
                .isLessThan(before.validations.get(0).trainLoss);

        // interrupted after its first checkpoint, the update resumes from there even when the adapter it
        // started from is gone, and ends with the same bytes as the run that was not interrupted
        TuningRequestDTO cut = TuningFixtures.request(train, tmp.resolve("cut"));
        cut.initAdapter = tmp.resolve("first").toString();
        cut.maxSteps = 12;
        Thread self = Thread.currentThread();
        assertThatThrownBy(() -> service.tune(cut, p -> {
            if (p.step == 8 && "train".equals(p.phase)) {
                self.interrupt();
            }
        })).isInstanceOf(TuningException.class).hasMessageContaining("interrupted after step 8");
        assertThat(Thread.interrupted()).isTrue();
        Path moved = Files.move(tmp.resolve("first"), tmp.resolve("first-moved"));
        service.resumeTuning(tmp.resolve("cut/checkpoints"), null);
        assertThat(Files.readAllBytes(tmp.resolve("cut/adapter_model.safetensors")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("next/adapter_model.safetensors")));
        Files.move(moved, tmp.resolve("first"));

        TuningRequestDTO missing = TuningFixtures.request(train, tmp.resolve("missing"));
        missing.initAdapter = tmp.resolve("no-adapter").toString();
        assertThatThrownBy(() -> service.tune(missing, null)).isInstanceOf(TuningException.class)
                .hasMessage(tmp.resolve("no-adapter") + ": not an adapter directory (no adapter_config.json)");
        assertThat(tmp.resolve("missing/checkpoints/job.json")).doesNotExist();
    }

    @Test
    void aRunInterruptedAndResumedEndsWithTheSameAdapterBytes() throws Exception {
        Path train = TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 12, 3, 2);
        TuningRequestDTO whole = TuningFixtures.request(train, tmp.resolve("whole"));
        whole.peft = "prefix";
        whole.virtualTokens = 4;
        TuningResultDTO expected = service.tune(whole, null);

        TuningRequestDTO cut = TuningFixtures.request(train, tmp.resolve("cut"));
        cut.peft = "prefix";
        cut.virtualTokens = 4;
        Thread self = Thread.currentThread();
        long[] at = {-1};
        assertThatThrownBy(() -> service.tune(cut, p -> {
            if (at[0] < 0 && p.step >= 5 && "train".equals(p.phase)) {
                at[0] = p.step;
                self.interrupt();
            }
        })).isInstanceOf(TuningException.class).hasMessageContaining("interrupted after step " + at[0]
                + "; resume with --resume");
        assertThat(Thread.interrupted()).as("the interrupt is handed back").isTrue();
        assertThat(at[0]).isBetween(5L, 15L);
        assertThat(tmp.resolve("cut/checkpoints/latest")).content().startsWith(String.format("ckpt-%08d", at[0]));

        TuningResultDTO resumed = service.resumeTuning(tmp.resolve("cut/checkpoints"), null);
        assertThat(Files.readAllBytes(tmp.resolve("cut/adapter_model.safetensors")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("whole/adapter_model.safetensors")));
        assertThat(resumed.validations).usingRecursiveFieldByFieldElementComparatorIgnoringFields("trainLoss")
                .isEqualTo(expected.validations);
        assertThat(resumed.testAccuracy).isEqualTo(expected.testAccuracy);
        assertThat(service.resumeTuning(tmp.resolve("cut/checkpoints"), null).testMacroF1).isEqualTo(resumed.testMacroF1);
    }

    @Test
    void patienceStopsARunThatStopsImprovingButNotBeforeTheMinimumEpochs() throws Exception {
        Path train = TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 20, 6, 1);
        // 48 training samples in steps of 12: 4 steps an epoch. A rate too small to move a weight keeps every
        // validation equal to the first, so each later one counts as one without improvement.
        TuningRequestDTO flat = TuningFixtures.request(train, tmp.resolve("flat"));
        flat.schedule.learningRate = 1e-12;
        flat.checkpointEvery = 1;
        flat.patience = 2;
        TuningResultDTO early = service.tune(flat, null);
        assertThat(early.stoppedEarly).isTrue();
        assertThat(early.steps).isEqualTo(3);
        assertThat(early.validations).extracting(v -> v.macroF1).containsOnly(early.validations.get(0).macroF1);

        TuningRequestDTO waiting = TuningFixtures.request(train, tmp.resolve("waiting"));
        waiting.schedule.learningRate = 1e-12;
        waiting.checkpointEvery = 1;
        waiting.patience = 2;
        waiting.minEpochs = 2.5;
        TuningResultDTO late = service.tune(waiting, null);
        assertThat(late.stoppedEarly).isTrue();
        assertThat(late.steps).as("the first validation at or past epoch 2.5 (step 10) with 2 behind it").isEqualTo(10);
        assertThat(late.epochs).isEqualTo(2.5);
        assertThat(tmp.resolve("waiting/MODEL.md")).content().contains("stopped early (patience 2, not before epoch 2.5)");

        assertThat(AdapterTuningJob.stopsEarly(waiting, 2, 2.49)).isFalse();
        assertThat(AdapterTuningJob.stopsEarly(waiting, 1, 3)).isFalse();
        assertThat(AdapterTuningJob.stopsEarly(waiting, 2, 2.5)).isTrue();
        waiting.patience = 0;
        assertThat(AdapterTuningJob.stopsEarly(waiting, 100, 9)).isFalse();
    }

    @Test
    void badInputIsRefusedInOneLineBeforeTraining() throws Exception {
        Path train = TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 4, 2, 3);
        Path test = Path.of(train.toString().replace("_train", "_test"));

        Files.writeString(train, "");
        assertThatThrownBy(() -> service.tune(TuningFixtures.request(train, tmp.resolve("a")), null))
                .hasMessage(train + ": no samples (the file has no non-blank line)");

        TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 4, 2, 3);
        List<String> lines = new ArrayList<>(Files.readAllLines(train));
        lines.set(2, "{\"instruction\": \"x\", \"output\": ");
        Files.write(train, lines);
        assertThatThrownBy(() -> service.tune(TuningFixtures.request(train, tmp.resolve("b")), null))
                .isInstanceOf(TuningException.class).hasMessageStartingWith(train + ":3: not JSON: ");

        TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 4, 2, 3);
        List<String> kept = new ArrayList<>();
        for (String l : Files.readAllLines(train)) {
            if (!l.contains("\"gamma\"")) {
                kept.add(l);
            }
        }
        Files.write(train, kept);
        assertThatThrownBy(() -> service.tune(TuningFixtures.request(train, tmp.resolve("c")), null))
                .hasMessage(test + ": labels never seen in training (tst_detection_flow_train.jsonl): {gamma=2}");

        TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 4, 2, 3);
        Files.writeString(train, TuningFixtures.line("Which kind? <flow>: 00", "delta"), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> service.tune(TuningFixtures.request(train, tmp.resolve("d")), null))
                .hasMessage(train + ":13: answer 'delta' is not in the label set of task TST [alpha, beta, gamma]");

        TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 4, 2, 3);
        TuningRequestDTO unbalanced = TuningFixtures.request(train, tmp.resolve("e"));
        unbalanced.balance = 2;
        assertThatThrownBy(() -> service.tune(unbalanced, null)).isInstanceOf(TuningException.class)
                .hasMessage("class balance must be in [0, 1], is 2.0");

        TuningRequestDTO longWait = TuningFixtures.request(train, tmp.resolve("f"));
        longWait.minEpochs = 11;
        assertThatThrownBy(() -> service.tune(longWait, null)).isInstanceOf(TuningException.class)
                .hasMessage("minimum epochs must be in [0, epochs 10], is 11");

        for (String dir : new String[] {"a", "b", "c", "d", "e", "f"}) {
            assertThat(tmp.resolve(dir).resolve("checkpoints/job.json")).doesNotExist();
        }
    }

    @Test
    void resumingOverAnotherBaseModelIsRefusedBeforeTraining() throws Exception {
        Path train = TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 6, 2, 4);
        TuningRequestDTO r = TuningFixtures.request(train, tmp.resolve("run"));
        r.maxSteps = 3;
        service.tune(r, null);
        Files.delete(tmp.resolve("run/checkpoints/result.json"));

        Path qwen = Files.createDirectories(tmp.resolve("qwen2-tiny"));
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(TuningFixtures.fixtures().resolve("qwen2-tiny").resolve(f), qwen.resolve(f));
        }
        Files.copy(TuningFixtures.fixtures().resolve("tokenizer/tokenizer.json"), qwen.resolve("tokenizer.json"));
        BaseModel other = models.load(TuningFixtures.BASE, "1.0.0", qwen);
        try {
            CpuTuningService elsewhere = new CpuTuningService(TuningFixtures.services(models,
                    new LocalBaseModels(models).register(TuningFixtures.BASE, other)));
            assertThatThrownBy(() -> elsewhere.resumeTuning(tmp.resolve("run/checkpoints"), null))
                    .hasMessage(tmp.resolve("run/checkpoints") + ": the run was made over base model llama-tiny 1.0.0 "
                            + "(llama, vocab 384, hidden 64, layers 2), this one is llama-tiny 1.0.0 (qwen2, vocab 384, "
                            + "hidden 64, layers 2)");
            assertThatThrownBy(() -> service.tune(r, null)).hasMessageContaining("holds the checkpoints of another run");
        } finally {
            StandaloneModels.unload(other);
        }
    }
}

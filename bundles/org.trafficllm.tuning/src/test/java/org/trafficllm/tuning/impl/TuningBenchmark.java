package org.trafficllm.tuning.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.trafficllm.api.dataset.dto.DatasetRequestDTO;
import org.trafficllm.api.dataset.dto.DatasetResultDTO;
import org.trafficllm.api.model.AdapterTrainingSpec;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelTrainingSpec;
import org.trafficllm.api.model.TrainingBatch;
import org.trafficllm.api.model.TrainingSession;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.api.tuning.dto.TuningResultDTO;
import org.trafficllm.dataset.impl.StandaloneDatasets;
import org.trafficllm.model.impl.StandaloneModels;

/**
 * Training speed on this machine (not a test; {@code -Pbench}): pretraining steps of the
 * embedded base model's architecture, LoRA stage-2 steps over it on real MTD prompts
 * (with and without the shared instruction), and a whole stage-2 run on USTC-TFC2016's
 * 10,690 sessions with the shipped MTD settings, timed to its best validation.
 * Arguments: report file, data root, nano model directory, work directory.
 */
public final class TuningBenchmark {
    private static final StringBuilder REPORT = new StringBuilder();

    private TuningBenchmark() {
    }

    private static void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        REPORT.append(s).append('\n');
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]);
        Path data = Paths.get(args[1]);
        Path nano = Paths.get(args[2]);
        Path work = Paths.get(args[3]);
        Files.createDirectories(work);
        line("Date %s; %d cores; load average at start %s; Java %s; PyTorch threads %s, MKL_CBWR %s", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"),
                System.getProperty("ai.djl.pytorch.num_threads", "default"), System.getenv("MKL_CBWR"));
        line("");
        line("| run | sequences x tokens per step | training tokens/s | updates/s |");
        line("|---|---|---|---|");
        try (StandaloneModels models = new StandaloneModels()) {
            pretraining(models, nano);
            Path train = mtd(data, work);
            BaseModel base = models.load("nano", "1.0.0", nano);
            try {
                stageTwoSteps(models, base, train);
                wholeRun(models, base, train, work);
            } finally {
                StandaloneModels.unload(base);
            }
        }
        line("");
        line("load average at the end %s", loadAverage());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, REPORT, StandardCharsets.UTF_8);
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Paths.get("/proc/loadavg")).trim().split(" ")[0];
    }

    /** Full-parameter steps of a fresh model shaped like nano, on windows of 256 tokens, 16 per step. */
    private static void pretraining(StandaloneModels models, Path nano) throws Exception {
        ModelTrainingSpec spec = new ModelTrainingSpec();
        spec.configJson = Files.readString(nano.resolve("config.json"));
        spec.tokenizerFile = nano.resolve("tokenizer.json");
        spec.seed = 1;
        int vocab = DatasetFile.JSON.readTree(spec.configJson).path("vocab_size").asInt();
        Random random = new Random(2);
        int[][] ids = new int[16][256];
        boolean[][] mask = new boolean[16][256];
        for (int b = 0; b < 16; b++) {
            for (int t = 0; t < 256; t++) {
                ids[b][t] = random.nextInt(vocab);
                mask[b][t] = t > 0;
            }
        }
        try (TrainingSession s = models.training().trainModel(spec)) {
            double[] r = time(s, new TrainingBatch(ids, mask), 2, 8, 0.001);
            line("| pretraining, nano architecture (%,d weights), full-parameter | 16 x 256 | %,.0f | %.3f |",
                    s.trainableParameters(), r[0], r[1]);
        }
    }

    /** Tokens/s and updates/s of {@code n} step+update pairs after {@code warm} unmeasured ones. */
    private static double[] time(TrainingSession s, TrainingBatch batch, int warm, int n, double lr) throws Exception {
        for (int i = 0; i < warm; i++) {
            s.step(batch);
            s.update(lr);
        }
        long tokens = 0;
        for (int[] row : batch.tokenIds) {
            tokens += row.length;
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            s.step(batch);
            s.update(lr);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new double[] {tokens * n / seconds, n / seconds};
    }

    private static Path mtd(Path data, Path work) throws Exception {
        DatasetRequestDTO r = new DatasetRequestDTO();
        r.input = data.resolve("ustc-tfc2016/deeptraffic-idx/20class").toString();
        r.datasetName = "ustc-tfc-2016";
        r.layout = "ustc-tfc2016-idx";
        r.task = "MTD";
        r.granularity = Granularity.FLOW;
        r.outputPath = work.resolve("mtd").toString();
        DatasetResultDTO built = StandaloneDatasets.idxBuilder().build(r, null);
        return Paths.get(built.trainFile);
    }

    /** LoRA steps over nano on 16 real MTD prompts of similar length, the instruction shared or not. */
    private static void stageTwoSteps(StandaloneModels models, BaseModel base, Path train) throws Exception {
        List<TokenizedSamples.Sample> samples = TokenizedSamples.tokenize(train, DatasetFile.read(train),
                TuningFixtures.format(), TaskData.readTask(train.resolveSibling(TaskData.stem(train) + "_task.json")),
                TaskData.labelFile(train.resolveSibling("ustc-tfc-2016_label.json")), base, 128, 0, true);
        samples = new ArrayList<>(samples.subList(0, 512));
        samples.sort(Comparator.comparingInt(s -> s.tokens().length));
        int[][] ids = new int[16][];
        boolean[][] mask = new boolean[16][];
        int shared = Integer.MAX_VALUE;
        for (int i = 0; i < 16; i++) {
            TokenizedSamples.Sample s = samples.get(256 + i);
            ids[i] = s.tokens();
            mask[i] = new boolean[ids[i].length];
            for (int t = s.promptTokens(); t < ids[i].length; t++) {
                mask[i][t] = true;
            }
            int common = 0;
            while (common < ids[i].length && ids[i][common] == ids[0][common]) {
                common++;
            }
            shared = Math.min(shared, Math.min(common, s.promptTokens() - 1));
        }
        for (int sharing : new int[] {0, shared}) {
            AdapterTrainingSpec spec = new AdapterTrainingSpec();
            spec.r = 16;
            spec.loraAlpha = 32;
            spec.targetModules = MTD_TARGETS;
            spec.seed = 3;
            try (TrainingSession s = models.training().trainAdapter(base, spec)) {
                TrainingBatch batch = new TrainingBatch(ids, mask);
                batch.sharedPrefix = sharing;
                double[] r = time(s, batch, 2, 10, 0.002);
                line("| stage 2, LoRA r=16 on %s over nano, MTD prompts of %d tokens, %s | 16 x %d | %,.0f | %.3f |",
                        String.join(",", MTD_TARGETS), ids[0].length, sharing == 0 ? "instruction in every row"
                                : "instruction (" + sharing + " tokens) shared", ids[0].length, r[0], r[1]);
            }
        }
    }

    /** The shipped adapters' targets: every projection of every layer (examples/recipe/adapters.sh). */
    static final List<String> MTD_TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
            "down_proj");

    /** The shipped MTD run (examples/recipe/adapters.sh), timed. */
    private static void wholeRun(StandaloneModels models, BaseModel base, Path train, Path work) throws Exception {
        CpuTuningService service = new CpuTuningService(TuningFixtures.services(models, new LocalBaseModels(models)
                .register("nano", base)));
        TuningRequestDTO r = new TuningRequestDTO();
        r.stage = 2;
        r.task = "MTD";
        r.baseModel = "nano";
        r.train = train.toString();
        r.test = train.toString().replace("_train.jsonl", "_test.jsonl");
        r.output = work.resolve("mtd-adapter").toString();
        CheckpointStore.deleteTree(Paths.get(r.output));
        r.loraTargets = new ArrayList<>(MTD_TARGETS);
        r.loraRank = 16;
        r.loraAlpha = 32;
        r.schedule.learningRate = 0.003;
        r.epochs = 1.5;
        r.checkpointEvery = 100;
        r.patience = 3;
        r.validationLimit = 300;
        TuningResultDTO result = service.tune(r, p -> {
            if (p.message != null) {
                System.out.println(p.message);
            }
        });
        line("");
        line("Whole stage-2 run, MTD (USTC-TFC2016 idx, 20 classes, group split, %,d train / %,d validation / %,d test "
                + "samples), LoRA over nano: %,d updates (%.2f epochs) in %s, %.0f tokens/s; best validation macro-F1 "
                + "%.4f at update %d, reached after %s; test accuracy %.4f, macro-F1 %.4f", result.trainSamples,
                result.validationSamples, result.testSamples, result.steps, result.epochs,
                AdapterCard.duration(result.trainMillis), result.tokensPerSecond, result.best.macroF1, result.best.step,
                AdapterCard.duration(result.millisToBest), result.testAccuracy, result.testMacroF1);
    }
}

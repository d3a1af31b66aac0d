package org.trafficllm.model.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.AdapterTrainingSpec;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.model.ModelTrainingSpec;
import org.trafficllm.api.model.StepResult;
import org.trafficllm.api.model.TrainingBatch;
import org.trafficllm.api.model.TrainingSession;

class TrainingRunTest {
    @TempDir
    static Path tmp;
    static EngineExecutor engine;
    static LoadedBaseModel llama;
    static ModelTrainingService training;
    static TrainingBatch batch;

    @BeforeAll
    static void load() throws Exception {
        engine = new EngineExecutor(1);
        llama = LoadedBaseModel.load("llama-tiny", "1.0.0", Fixtures.modelDir("llama-tiny", tmp), engine);
        training = new ModelTrainingService(engine);
        List<int[]> rows = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        String[][] pairs = {{"Classify the HTTP request as normal or anomalous web attack traffic.", " anomalous"},
                {"Given the following traffic data <flow>, determine whether the traffic is from a botnet.", " Neris"},
                {"Is the following TLS flow Tor traffic?", " normal"}};
        for (String[] p : pairs) {
            int[] prompt = llama.encode(p[0]);
            int[] answer = llama.encode(p[1]);
            int[] all = new int[prompt.length + answer.length];
            System.arraycopy(prompt, 0, all, 0, prompt.length);
            System.arraycopy(answer, 0, all, prompt.length, answer.length);
            boolean[] mask = new boolean[all.length];
            java.util.Arrays.fill(mask, prompt.length, all.length, true);
            rows.add(all);
            masks.add(mask);
        }
        batch = new TrainingBatch(rows.toArray(int[][]::new), masks.toArray(boolean[][]::new));
    }

    @AfterAll
    static void close() {
        llama.close();
        engine.close();
    }

    private static AdapterTrainingSpec lora() {
        AdapterTrainingSpec s = new AdapterTrainingSpec();
        s.r = 4;
        s.loraAlpha = 8;
        s.seed = 11;
        return s;
    }

    private static AdapterTrainingSpec prefix(boolean projection) {
        AdapterTrainingSpec s = new AdapterTrainingSpec();
        s.peftType = "PREFIX_TUNING";
        s.numVirtualTokens = 4;
        s.prefixProjection = projection;
        s.encoderHiddenSize = 16;
        s.seed = 12;
        return s;
    }

    private static double train(TrainingSession s, int updates) throws ModelException {
        return train(s, updates, 1e-2);
    }

    private static double train(TrainingSession s, int updates, double learningRate) throws ModelException {
        double last = 0;
        for (int i = 0; i < updates; i++) {
            last = s.step(batch).loss;
            s.update(learningRate);
        }
        return last;
    }

    private static TrainingRun run(TrainingSession s) {
        return ((EngineTrainingSession) s).run;
    }

    private static float[][] sessionLogits(TrainingSession s, int[] ids) throws ModelException {
        return engine.call(() -> run(s).logits(ids));
    }

    @Test
    void adaptersLearnAndReloadThroughTheInferencePathWithIdenticalOutputs() throws Exception {
        int[] probe = batch.tokenIds[1];
        for (AdapterTrainingSpec spec : List.of(lora(), prefix(false), prefix(true))) {
            try (TrainingSession s = training.trainAdapter(llama, spec)) {
                double lr = spec.peftType.equals("LORA") ? 1e-2 : 1e-1;
                double evaluated = s.evaluate(batch).loss;
                assertThat(s.evaluate(batch).loss).isEqualTo(evaluated);
                double first = s.step(batch).loss;
                assertThat(first).isCloseTo(evaluated, org.assertj.core.data.Offset.offset(1e-5));
                s.update(lr);
                double last = train(s, 15, lr);
                assertThat(last).as(spec.peftType + " loss falls").isLessThan(first * 0.8);
                Path dir = tmp.resolve("adapter-" + spec.peftType + "-" + spec.prefixProjection);
                s.saveAdapter(dir);
                assertThat(dir.resolve("adapter_config.json")).exists();
                String id = dir.getFileName().toString();
                llama.loadAdapter(id, AdapterFiles.of(dir));
                double diff = Fixtures.maxDiff(llama.logits(id, probe), sessionLogits(s, probe));
                assertThat(diff).as(spec.peftType + " reloaded").isLessThan(1e-5);
                llama.unloadAdapter(id);
            }
        }
    }

    @Test
    void resumedRunContinuesBitIdentically() throws Exception {
        Map<String, float[]> straight;
        try (TrainingSession s = training.trainAdapter(llama, lora())) {
            train(s, 6);
            straight = weights(run(s));
        }
        Path state = tmp.resolve("state");
        try (TrainingSession s = training.trainAdapter(llama, lora())) {
            train(s, 3);
            s.saveState(state);
        }
        assertThat(state.resolve("state.json")).exists();
        try (TrainingSession s = training.trainAdapter(llama, prefix(false))) {
            assertThatThrownBy(() -> s.restoreState(state)).hasMessageContaining("saved for");
        }
        try (TrainingSession s = training.trainAdapter(llama, lora())) {
            s.restoreState(state);
            assertThat(s.steps()).isEqualTo(3);
            train(s, 3);
            Map<String, float[]> resumed = weights(run(s));
            assertThat(resumed.keySet()).containsExactlyElementsOf(straight.keySet());
            for (String k : straight.keySet()) {
                assertThat(resumed.get(k)).as(k).containsExactly(straight.get(k));
            }
        }
    }

    @Test
    void continuedAdapterStartsFromTheSavedWeightsAndKeepsLearning() throws Exception {
        for (AdapterTrainingSpec spec : List.of(lora(), prefix(false))) {
            double lr = spec.peftType.equals("LORA") ? 1e-2 : 1e-1;
            Path dir = tmp.resolve("continued-" + spec.peftType);
            Map<String, float[]> saved;
            double fresh;
            double trained;
            try (TrainingSession s = training.trainAdapter(llama, spec)) {
                fresh = s.evaluate(batch).loss;
                train(s, 8, lr);
                trained = s.evaluate(batch).loss;
                s.saveAdapter(dir);
                saved = weights(run(s));
            }
            assertThat(trained).as(spec.peftType + " learned").isLessThan(fresh * 0.9);
            AdapterTrainingSpec next = spec.peftType.equals("LORA") ? lora() : prefix(false);
            next.seed = 99;
            next.initFrom = dir.toString();
            try (TrainingSession s = training.trainAdapter(llama, next)) {
                Map<String, float[]> start = weights(run(s));
                assertThat(start.keySet()).containsExactlyElementsOf(saved.keySet());
                for (String k : saved.keySet()) {
                    float[] a = saved.get(k);
                    float[] b = start.get(k);
                    for (int i = 0; i < a.length; i++) {
                        assertThat(Math.abs(a[i] - b[i])).as(k).isLessThan(1e-6f);
                    }
                }
                assertThat(s.evaluate(batch).loss).isCloseTo(trained, org.assertj.core.data.Offset.offset(1e-4));
                assertThat(train(s, 4, lr)).as(spec.peftType + " continues to learn").isLessThan(trained);
            }
        }
    }

    @Test
    void continuingAnAdapterOfAnotherShapeFailsNamingTheDirectory() throws Exception {
        Path dir = tmp.resolve("shape-r4");
        try (TrainingSession s = training.trainAdapter(llama, lora())) {
            train(s, 1);
            s.saveAdapter(dir);
        }
        AdapterTrainingSpec rank = lora();
        rank.r = 8;
        AdapterTrainingSpec alpha = lora();
        alpha.loraAlpha = 4;
        AdapterTrainingSpec targets = lora();
        targets.targetModules = List.of("q_proj");
        AdapterTrainingSpec kind = prefix(false);
        Map<AdapterTrainingSpec, String> expected = new LinkedHashMap<>();
        expected.put(rank, "LoRA rank 4, this training has rank 8");
        expected.put(alpha, "LoRA scale of");
        expected.put(targets, "this training does not");
        expected.put(kind, "a LORA adapter cannot start a PREFIX_TUNING training");
        for (Map.Entry<AdapterTrainingSpec, String> e : expected.entrySet()) {
            e.getKey().initFrom = dir.toString();
            assertThatThrownBy(() -> training.trainAdapter(llama, e.getKey()).close())
                    .isInstanceOf(ModelException.class).hasMessageStartingWith(dir.toString())
                    .hasMessageContaining(e.getValue());
        }
        AdapterTrainingSpec missing = lora();
        missing.initFrom = tmp.resolve("no-such-adapter").toString();
        assertThatThrownBy(() -> training.trainAdapter(llama, missing).close()).isInstanceOf(ModelException.class)
                .hasMessageContaining("no-such-adapter").hasMessageContaining("adapter_config.json");
    }

    private static Map<String, float[]> weights(TrainingRun r) throws ModelException {
        Map<String, float[]> w = new LinkedHashMap<>();
        for (String name : r.trainable.keySet()) {
            w.put(name, engine.call(() -> r.values(name)));
        }
        return w;
    }

    @Test
    void accumulatedHalvesEqualOneWholeBatch() throws Exception {
        Map<String, float[]> whole;
        try (TrainingSession s = training.trainAdapter(llama, lora())) {
            s.step(batch);
            s.update(1e-2);
            s.step(batch);
            s.update(1e-2);
            whole = weights(run(s));
        }
        TrainingBatch a = new TrainingBatch(new int[][] {batch.tokenIds[0]}, new boolean[][] {batch.lossMask[0]});
        TrainingBatch b = new TrainingBatch(new int[][] {batch.tokenIds[1], batch.tokenIds[2]},
                new boolean[][] {batch.lossMask[1], batch.lossMask[2]});
        try (TrainingSession s = training.trainAdapter(llama, lora())) {
            for (int i = 0; i < 2; i++) {
                StepResult ra = s.step(a);
                StepResult rb = s.step(b);
                assertThat(ra.tokens + rb.tokens).isEqualTo(s.step(batch).tokens);
                s.update(1e-2);
            }
        }
        try (TrainingSession s = training.trainAdapter(llama, lora())) {
            for (int i = 0; i < 2; i++) {
                s.step(a);
                s.step(b);
                s.update(1e-2);
            }
            Map<String, float[]> accumulated = weights(run(s));
            for (String k : whole.keySet()) {
                float[] x = whole.get(k);
                float[] y = accumulated.get(k);
                for (int i = 0; i < x.length; i++) {
                    assertThat(Math.abs(x[i] - y[i])).as(k).isLessThan(1e-6f);
                }
            }
        }
    }

    @Test
    void memoryStaysFlatOverManySteps() throws Exception {
        try (TrainingSession s = training.trainAdapter(llama, lora())) {
            train(s, 5);
            int arrays = engine.call(() -> llama.model.manager.getManagedArrays().size());
            train(s, 100);
            assertThat(engine.call(() -> llama.model.manager.getManagedArrays().size())).isEqualTo(arrays);
        }
    }

    @Test
    void freshModelTrainsSavesInHfLayoutAndReloads() throws Exception {
        ModelTrainingSpec spec = new ModelTrainingSpec();
        spec.configJson = new String(Files.readAllBytes(Fixtures.dir("qwen2-tiny").resolve("config.json")), "UTF-8");
        spec.tokenizerFile = Fixtures.tokenizer();
        spec.seed = 3;
        int[] probe = batch.tokenIds[0];
        try (TrainingSession s = training.trainModel(spec)) {
            assertThat(s.trainableParameters()).as("llama-tiny without lm_head, with q/k/v biases")
                    .isEqualTo(llama.info().parameterCount - 384 * 64 + 2 * (64 + 32 + 32));
            double first = s.step(batch).loss;
            s.update(3e-3);
            assertThat(train(s, 10)).isLessThan(first);
            for (String dtype : new String[] {"float32", "bfloat16"}) {
                Path out = tmp.resolve("fresh-" + dtype);
                s.saveModel(out, dtype);
                try (LoadedBaseModel reloaded = LoadedBaseModel.load("fresh", "1", out, engine)) {
                    double diff = Fixtures.maxDiff(reloaded.logits(null, probe), sessionLogits(s, probe));
                    assertThat(diff).as(dtype).isLessThan(dtype.equals("float32") ? 1e-5 : 0.5);
                }
            }
        }
    }

    @Test
    void vocabularyGrowsWithRowsFromSubTokenMeans() throws Exception {
        ModelTrainingSpec spec = new ModelTrainingSpec();
        spec.modelDirectory = Fixtures.modelDir("gpt2-tiny", tmp.resolve("grow"));
        try (TrainingSession s = training.trainModel(spec)) {
            TrainingRun r = run(s);
            float[] before = engine.call(() -> r.values("transformer.wte.weight"));
            s.growVocabulary(386, Map.of(384, new int[] {10, 20}));
            float[] after = engine.call(() -> r.values("transformer.wte.weight"));
            assertThat(after).hasSize(386 * 64);
            for (int j = 0; j < 64; j++) {
                assertThat(after[384 * 64 + j]).isCloseTo((before[10 * 64 + j] + before[20 * 64 + j]) / 2,
                        org.assertj.core.data.Offset.offset(1e-6f));
                assertThat(after[j]).isEqualTo(before[j]);
            }
            s.step(new TrainingBatch(new int[][] {{5, 384, 385}}, new boolean[][] {{false, true, true}}));
            s.update(1e-3);
            Path out = tmp.resolve("grown");
            s.saveModel(out, "float32");
            assertThat(new String(Files.readAllBytes(out.resolve("config.json")), "UTF-8")).contains("386");
            assertThatThrownBy(() -> s.growVocabulary(390, Map.of())).hasMessageContaining("before the first update");
        }
    }
}

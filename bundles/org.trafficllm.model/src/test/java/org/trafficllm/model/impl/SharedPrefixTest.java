package org.trafficllm.model.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.model.AdapterTrainingSpec;
import org.trafficllm.api.model.TrainingBatch;
import org.trafficllm.api.model.TrainingSession;

/**
 * A shared prefix run once gives the loss and the update of running it in every row, up
 * to float rounding (the shared rows go through matrix products of another shape).
 */
class SharedPrefixTest {
    @TempDir
    static Path tmp;
    static EngineExecutor engine;
    static LoadedBaseModel llama;

    @BeforeAll
    static void load() throws Exception {
        engine = new EngineExecutor(1);
        llama = LoadedBaseModel.load("llama-tiny", "1", Fixtures.modelDir("llama-tiny", tmp), engine);
    }

    @AfterAll
    static void close() {
        llama.close();
        engine.close();
    }

    /** Three rows: the same 20 tokens, then rows of different lengths whose last 3 tokens are targets. */
    private static TrainingBatch batch(int shared) {
        Random r = new Random(3);
        int[] prefix = r.ints(20, 2, 384).toArray();
        int[][] ids = new int[3][];
        boolean[][] mask = new boolean[3][];
        for (int b = 0; b < 3; b++) {
            int n = 20 + 6 + 3 * b;
            ids[b] = new int[n];
            System.arraycopy(prefix, 0, ids[b], 0, 20);
            for (int t = 20; t < n; t++) {
                ids[b][t] = r.nextInt(382) + 2;
            }
            mask[b] = new boolean[n];
            for (int t = n - 3; t < n; t++) {
                mask[b][t] = true;
            }
        }
        TrainingBatch batch = new TrainingBatch(ids, mask);
        batch.sharedPrefix = shared;
        return batch;
    }

    private static AdapterTrainingSpec spec(String type) {
        AdapterTrainingSpec s = new AdapterTrainingSpec();
        s.peftType = type;
        s.r = 4;
        s.numVirtualTokens = 4;
        s.seed = 5;
        return s;
    }

    private static float[] gradient(TrainingSession session, String name) throws Exception {
        TrainingRun run = ((EngineTrainingSession) session).run;
        return engine.call(() -> run.trainable.get(name).getGradient().toFloatArray());
    }

    @Test
    void sharedPrefixGivesTheSameLossAndGradients() throws Exception {
        ModelTrainingService training = new ModelTrainingService(engine);
        for (String type : new String[] {"LORA", "PREFIX_TUNING"}) {
            try (TrainingSession plain = training.trainAdapter(llama, spec(type));
                    TrainingSession shared = training.trainAdapter(llama, spec(type))) {
                plain.step(batch(0));
                shared.step(batch(20));
                plain.update(0.05);
                shared.update(0.05);
                double a = plain.step(batch(0)).loss;
                double b = shared.step(batch(20)).loss;
                assertThat(b).as(type).isCloseTo(a, within(1e-5));
                for (String name : ((EngineTrainingSession) plain).run.trainable.keySet()) {
                    float[] x = gradient(plain, name);
                    float[] y = gradient(shared, name);
                    float scale = 0;
                    for (float v : x) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    for (int i = 0; i < x.length; i++) {
                        assertThat(y[i]).as(type + " " + name + "[" + i + "]").isCloseTo(x[i], within(1e-4f * scale));
                    }
                }
            }
        }
    }

    @Test
    void aSharedPrefixMustBeSharedAndHoldNoTarget() throws Exception {
        try (TrainingSession s = new ModelTrainingService(engine).trainAdapter(llama, spec("LORA"))) {
            TrainingBatch differs = batch(20);
            differs.tokenIds[2][5]++;
            assertThatThrownBy(() -> s.step(differs)).hasMessage(
                    "training batch row 2 differs from row 0 at token 5, inside the shared prefix of 20");
            TrainingBatch target = batch(20);
            target.lossMask[1][20] = true;
            assertThatThrownBy(() -> s.step(target)).hasMessage(
                    "training batch row 1: target at token 20, inside or right after the shared prefix of 20");
        }
    }
}

package org.trafficllm.model.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecoderModelTest {
    static EngineExecutor engine;

    @BeforeAll
    static void start() {
        engine = new EngineExecutor(1);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @ParameterizedTest
    @CsvSource({"llama-tiny,config.json", "llama-tiny,config-transformers4.json", "qwen2-tiny,config.json",
            "qwen2-tiny,config-transformers4.json", "gpt2-tiny,config.json"})
    void logitsMatchTheReferenceAtEveryPosition(String fixture, String configFile) throws Exception {
        Path dir = Fixtures.dir(fixture);
        double worst = engine.call(() -> {
            ModelConfig config = ModelConfig.parse(configFile, Files.readAllBytes(dir.resolve(configFile)));
            try (NDManager root = EngineExecutor.newRootManager();
                    DecoderModel model = DecoderModel.load(config, Checkpoint.open(dir), root.newSubManager())) {
                double max = 0;
                for (Fixtures.Case c : Fixtures.golden(fixture)) {
                    try (NDManager request = root.newSubManager();
                            KvCache cache = KvCache.start(config.layers, 1, null)) {
                        NDArray hidden = model.forward(request, new int[][] {c.inputIds()}, null, cache,
                                ActiveAdapters.NONE);
                        float[] flat = model.logits(hidden).toFloatArray();
                        float[][] rows = new float[c.inputIds().length][config.vocabSize];
                        for (int t = 0; t < rows.length; t++) {
                            System.arraycopy(flat, t * config.vocabSize, rows[t], 0, config.vocabSize);
                        }
                        max = Math.max(max, Fixtures.maxDiff(rows, c.logits()));
                    }
                }
                return max;
            }
        });
        System.out.printf("%s (%s): max |logit - golden| = %.3g%n", fixture, configFile, worst);
        assertThat(worst).isLessThan(1e-4);
    }
}

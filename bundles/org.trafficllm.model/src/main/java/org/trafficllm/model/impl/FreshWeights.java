package org.trafficllm.model.impl;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Weights for a model trained from scratch, made as they are asked for, the way
 * transformers initialises them: normal(0, {@code initializer_range}) for matrices
 * and embeddings, one for norm weights, zero for biases. Drawn in the order the
 * decoder asks, from one seeded generator, so the same seed gives the same model.
 */
final class FreshWeights extends Checkpoint {
    private final Random random;
    private final double std;
    private final String canonicalEmbedding;

    FreshWeights(ModelConfig config, Random random) {
        super("fresh " + config.modelType + " weights", Map.of());
        this.random = random;
        this.std = config.raw.path("initializer_range").asDouble(0.02);
        this.canonicalEmbedding = config.arch == ModelConfig.Arch.GPT2 ? "transformer.wte.weight"
                : "model.embed_tokens.weight";
    }

    @Override
    boolean has(String name) {
        return name.equals(canonicalEmbedding);
    }

    @Override
    float[] take(String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        if (name.endsWith(".bias")) {
            return v;
        }
        String last = name.substring(name.lastIndexOf('.', name.length() - ".weight".length() - 1) + 1);
        if (last.contains("norm") || last.startsWith("ln_")) {
            java.util.Arrays.fill(v, 1f);
            return v;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return v;
    }

    @Override
    void ignore(String name) {
        // nothing stored, so nothing to mark
    }

    @Override
    List<String> untaken() {
        return List.of();
    }
}

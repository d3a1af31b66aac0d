package org.trafficllm.model.impl;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from one row of logits: the first maximum when greedy, else a
 * sample from the temperature-scaled softmax restricted to the top-p nucleus, drawn
 * from a generator seeded per request so the same request gives the same tokens.
 */
final class TokenChooser {
    private final double temperature;
    private final double topP;
    private final Random random;

    TokenChooser(double temperature, double topP, long seed) {
        this.temperature = temperature;
        this.topP = topP <= 0 || topP > 1 ? 1 : topP;
        this.random = new Random(seed);
    }

    int choose(float[] logits, int offset, int vocab) {
        if (temperature <= 0) {
            return argmax(logits, offset, vocab);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double[] p = new double[vocab];
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            p[i] = Math.exp((logits[offset + i] - max) / temperature);
            sum += p[i];
        }
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
            p[i] /= sum;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]) != 0 ? Double.compare(p[b], p[a]) : a - b);
        int keep = 0;
        double mass = 0;
        while (keep < vocab && (keep == 0 || mass < topP)) {
            mass += p[order[keep++]];
        }
        double u = random.nextDouble() * mass;
        double acc = 0;
        for (int k = 0; k < keep; k++) {
            acc += p[order[k]];
            if (u < acc) {
                return order[k];
            }
        }
        return order[keep - 1];
    }

    static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}

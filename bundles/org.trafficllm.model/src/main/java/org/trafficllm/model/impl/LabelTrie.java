package org.trafficllm.model.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.trafficllm.api.model.ModelException;

/**
 * The labels of a classification as a trie of their token sequences. At every node
 * the allowed next tokens are the children, plus the end token where a label ends
 * but a longer label goes on. A label's probability is the product of its steps'
 * probabilities under a softmax restricted to the allowed tokens (and the end step
 * where one exists); over all labels these sum to 1.
 */
final class LabelTrie {
    private final List<String> labels;
    private final int[][] sequences;
    private final int endToken;
    /** Allowed next tokens after each prefix, keyed by the prefix's tokens. */
    private final Map<List<Integer>, int[]> allowed = new HashMap<>();
    private final Map<List<Integer>, Boolean> ends = new HashMap<>();

    LabelTrie(List<String> labels, int[][] sequences, int endToken) throws ModelException {
        this.labels = labels;
        this.sequences = sequences;
        this.endToken = endToken;
        Map<List<Integer>, LinkedHashMap<Integer, Boolean>> children = new HashMap<>();
        Map<List<Integer>, String> seen = new HashMap<>();
        for (int i = 0; i < sequences.length; i++) {
            int[] s = sequences[i];
            if (s.length == 0) {
                throw new ModelException("label '" + labels.get(i) + "' has no tokens");
            }
            List<Integer> whole = key(s, s.length);
            String clash = seen.put(whole, labels.get(i));
            if (clash != null) {
                throw new ModelException("labels '" + clash + "' and '" + labels.get(i) + "' have the same tokens "
                        + Arrays.toString(s));
            }
            ends.put(whole, true);
            for (int d = 0; d < s.length; d++) {
                children.computeIfAbsent(key(s, d), k -> new LinkedHashMap<>()).put(s[d], true);
            }
        }
        for (Map.Entry<List<Integer>, LinkedHashMap<Integer, Boolean>> e : children.entrySet()) {
            List<Integer> tokens = new ArrayList<>(e.getValue().keySet());
            if (ends.containsKey(e.getKey())) {
                if (endToken < 0) {
                    throw new ModelException("label '" + seen.get(e.getKey()) + "' is the beginning of a longer label and"
                            + " the model has no end-of-sequence token to tell them apart");
                }
                tokens.add(endToken);
            }
            allowed.put(e.getKey(), tokens.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private static List<Integer> key(int[] s, int length) {
        List<Integer> k = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            k.add(s[i]);
        }
        return k;
    }

    int size() {
        return sequences.length;
    }

    int[] sequence(int label) {
        return sequences[label];
    }

    String label(int i) {
        return labels.get(i);
    }

    /**
     * Probability of every label, normalised. {@code stepLogits.logits(label, depth)}
     * gives the logits after the prompt and the label's first {@code depth} tokens.
     */
    double[] probabilities(StepLogits stepLogits) {
        double[] p = new double[sequences.length];
        double total = 0;
        for (int i = 0; i < sequences.length; i++) {
            int[] s = sequences[i];
            double logP = 0;
            for (int d = 0; d <= s.length; d++) {
                int[] options = allowed.get(key(s, d));
                if (options == null) {
                    break;
                }
                int chosen = d < s.length ? s[d] : endToken;
                logP += logSoftmaxAt(stepLogits.logits(i, d), stepLogits.offset(i, d), options, chosen);
            }
            p[i] = Math.exp(logP);
            total += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    private static double logSoftmaxAt(float[] logits, int offset, int[] options, int chosen) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t : options) {
            max = Math.max(max, logits[offset + t]);
        }
        double sum = 0;
        for (int t : options) {
            sum += Math.exp(logits[offset + t] - max);
        }
        return logits[offset + chosen] - max - Math.log(sum);
    }

    /** Where the logits after a label's first tokens are. */
    interface StepLogits {
        float[] logits(int label, int depth);

        int offset(int label, int depth);
    }
}

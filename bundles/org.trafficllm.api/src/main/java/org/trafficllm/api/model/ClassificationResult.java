package org.trafficllm.api.model;

import java.util.Map;

/**
 * The chosen label and a probability for every label. A label's probability is the
 * product, over its tokens, of each token's probability given the prompt and the
 * label's earlier tokens, where at every step the softmax runs only over the tokens
 * that continue some label (the constraint); the products are then normalised to
 * sum to 1 over the labels. Where a label is also the beginning of a longer label,
 * ending there is one more allowed choice, scored by the end-of-sequence token. The
 * chosen label is the most probable one: exhaustive decoding under the constraint.
 */
public class ClassificationResult {
    public String label;
    /** Label → probability, in the order the labels were given; sums to 1. */
    public Map<String, Double> probabilities;
}

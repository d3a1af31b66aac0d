package org.trafficllm.api.model;

/**
 * Token sequences to learn from. {@code lossMask[b][t]} true makes token {@code t} of
 * sequence {@code b} a target, predicted from the tokens before it; so a prompt's
 * tokens are false and the answer's tokens true. Sequences may differ in length
 * (each mask row matches its sequence); the first token of a sequence is never a
 * target.
 */
public class TrainingBatch {
    public int[][] tokenIds;
    public boolean[][] lossMask;

    public TrainingBatch() {
    }

    public TrainingBatch(int[][] tokenIds, boolean[][] lossMask) {
        this.tokenIds = tokenIds;
        this.lossMask = lossMask;
    }
}

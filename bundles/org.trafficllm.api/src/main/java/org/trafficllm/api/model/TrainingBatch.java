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
    /**
     * How many leading tokens every row shares (e.g. a task's fixed instruction). They are
     * run through the model once and their keys and values reused by every row, which
     * gives the same loss and gradients as running them in each row, for less work. No
     * target may lie among them or on the first token after them; 0 shares nothing.
     */
    public int sharedPrefix;

    public TrainingBatch() {
    }

    public TrainingBatch(int[][] tokenIds, boolean[][] lossMask) {
        this.tokenIds = tokenIds;
        this.lossMask = lossMask;
    }
}

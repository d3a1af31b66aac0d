package org.trafficllm.api.model;

/** The continuation of one prompt. */
public class GenerationResult {
    /** Decoded new tokens (special tokens skipped). */
    public String text;
    /** The new tokens, including a stop token when one ended generation. */
    public int[] tokenIds;
    public int promptTokens;
    /** {@code stop} (a stop token), {@code length} (max new tokens) or {@code context} (context full). */
    public String finishReason;
}

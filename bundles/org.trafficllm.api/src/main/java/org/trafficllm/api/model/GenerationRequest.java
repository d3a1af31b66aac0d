package org.trafficllm.api.model;

import java.util.List;

/**
 * One prompt to continue. Either {@link #prompt} or {@link #promptTokenIds} is set.
 * Decoding is greedy unless {@link #temperature} is above zero; sampling with the
 * same {@link #seed} gives the same tokens.
 */
public class GenerationRequest {
    /** Adapter to apply, or {@code null} for the bare base model. */
    public String adapterId;
    public String prompt;
    public int[] promptTokenIds;
    public int maxNewTokens = 32;
    /** 0 means greedy. */
    public double temperature;
    /** Nucleus sampling: keep the smallest set of tokens whose probability reaches this. 1 keeps all. */
    public double topP = 1.0;
    public long seed;
    /** Generation stops after emitting one of these; {@code null} means the model's EOS tokens. */
    public List<Integer> stopTokenIds;

    public GenerationRequest() {
    }

    public GenerationRequest(String adapterId, String prompt, int maxNewTokens) {
        this.adapterId = adapterId;
        this.prompt = prompt;
        this.maxNewTokens = maxNewTokens;
    }
}

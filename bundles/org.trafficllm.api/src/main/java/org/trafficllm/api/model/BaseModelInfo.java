package org.trafficllm.api.model;

/** What a loaded base model is and what it costs. */
public class BaseModelInfo {
    /** Name from the base-model capability, e.g. {@code nano}. */
    public String name;
    /** Version from the base-model capability. */
    public String version;
    /** Architecture family: {@code llama}, {@code qwen2} or {@code gpt2}. */
    public String arch;
    /** Number of weights (tied embeddings counted once). */
    public long parameterCount;
    /** Bytes the weights occupy in memory (float32 on CPU). */
    public long memoryBytes;
    public int vocabSize;
    /** Longest sequence (prompt plus generated tokens, plus any prefix) the model accepts. */
    public int maxContext;
    public int hiddenSize;
    public int layers;
    /** Token id that ends generation by default (from config.json), or -1. */
    public int eosTokenId;
    /** Ids of the adapters resident now. */
    public java.util.List<String> adapters;
}

package org.trafficllm.api.model;

/** A resident adapter. */
public class AdapterInfo {
    public String id;
    /** PEFT type as in adapter_config.json: {@code LORA} or {@code PREFIX_TUNING}. */
    public String peftType;
    public long parameterCount;
    public long memoryBytes;
    /** LoRA rank, or the number of virtual tokens for prefix tuning. */
    public int rank;
    /** True while this LoRA adapter is merged into the base weights. */
    public boolean merged;
}

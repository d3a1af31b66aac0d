package org.trafficllm.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One loaded base model, shared by every task. Registered as a service per base-model
 * bundle, with the service properties {@link #NAME}, {@link #VERSION} and
 * {@link #ARCH}. Adapters are loaded once and stay resident; each request names its
 * adapter (or none). Replacing an adapter under the same id is atomic: requests that
 * started on the old one finish on it, later ones see the new one.
 */
@ProviderType
public interface BaseModel {
    /** Capability namespace a base-model bundle provides and a task bundle requires. */
    String CAPABILITY_NAMESPACE = "trafficllm.basemodel";
    /** Manifest header marking a base-model bundle; its value is the model's folder inside the bundle. */
    String BUNDLE_HEADER = "TrafficLLM-BaseModel";
    /** Service property: the base model's name. */
    String NAME = "trafficllm.basemodel";
    /** Service property: the base model's version. */
    String VERSION = "trafficllm.basemodel.version";
    /** Service property: the architecture family. */
    String ARCH = "trafficllm.basemodel.arch";

    BaseModelInfo info();

    /** Token ids of a text, without special tokens. */
    int[] encode(String text) throws ModelException;

    /** Text of token ids, special tokens skipped. */
    String decode(int[] tokenIds) throws ModelException;

    /**
     * Loads a PEFT adapter (LoRA or prefix tuning) built for this base model and makes it
     * resident under {@code id}, replacing any adapter with that id. On any error nothing
     * is registered and the previous adapter with that id (if any) stays.
     */
    AdapterInfo loadAdapter(String id, AdapterFiles files) throws ModelException;

    /** Removes an adapter; requests already running on it finish. Returns false if none had that id. */
    boolean unloadAdapter(String id);

    List<AdapterInfo> adapters();

    /**
     * Adds a LoRA adapter's product into the base weights, so requests naming it run at
     * the base model's speed; requests naming another adapter or none stay exact.
     * At most one adapter is merged at a time.
     */
    void mergeAdapter(String id) throws ModelException;

    /** Takes the merged adapter (if any) out of the base weights again. */
    void unmergeAdapter() throws ModelException;

    /** Next-token logits for every position of a token sequence, {@code [positions][vocab]}. */
    float[][] logits(String adapterId, int[] tokenIds) throws ModelException;

    GenerationResult generate(GenerationRequest request) throws ModelException;

    /** Generates for several prompts in batches; results in request order. */
    List<GenerationResult> generateBatch(List<GenerationRequest> requests) throws ModelException;

    ClassificationResult classify(ClassificationRequest request) throws ModelException;

    List<ClassificationResult> classifyBatch(List<ClassificationRequest> requests) throws ModelException;
}

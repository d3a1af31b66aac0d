package org.trafficllm.model.impl;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;

import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.AdapterTrainingSpec;
import org.trafficllm.api.model.ModelException;

/**
 * Trains a new LoRA or prefix-tuning adapter over a loaded base model whose own
 * weights stay frozen, and saves it in PEFT's format.
 */
final class AdapterTrainingRun extends TrainingRun {
    private static final List<String> LLAMA_TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
            "up_proj", "down_proj");
    private static final List<String> GPT2_TARGETS = List.of("c_attn", "c_proj", "c_fc");
    private final AdapterTrainingSpec spec;
    private final LoadedBaseModel base;
    private final AdapterConfig config;
    private LoraAdapter lora;

    AdapterTrainingRun(LoadedBaseModel base, AdapterTrainingSpec spec) throws ModelException {
        super(base.model, base.model.manager.newSubManager(), spec.optimizer, new Random(spec.seed));
        this.spec = spec;
        this.base = base;
        this.config = AdapterConfig.parse("adapter training spec", peftConfig().toString()
                .getBytes(StandardCharsets.UTF_8));
        try {
            if (config.peftType.equals(AdapterConfig.LORA)) {
                initLora();
            } else {
                initPrefix();
            }
            if (spec.initFrom != null && !spec.initFrom.isBlank()) {
                continueFrom(Path.of(spec.initFrom));
            }
        } catch (RuntimeException | ModelException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Starts from the weights of an adapter directory of the same shape (an update of a
     * task's adapter on new data) instead of PEFT's initialisation. The directory is read
     * and checked against the base model by the inference path's loader, so what it
     * accepts here it would also serve.
     */
    private void continueFrom(Path dir) throws ModelException {
        String where = dir.toString();
        Adapter loaded = AdapterLoader.load("continued", AdapterFiles.of(dir), model, manager);
        try {
            AdapterConfig saved = loaded.config;
            if (!saved.peftType.equals(config.peftType)) {
                throw new ModelException(where + ": a " + saved.peftType + " adapter cannot start a "
                        + config.peftType + " training");
            }
            if (loaded instanceof LoraAdapter l) {
                if (saved.r != spec.r) {
                    throw new ModelException(where + ": LoRA rank " + saved.r + ", this training has rank " + spec.r);
                }
                copyLora(where, l);
            } else {
                copyPrefix(where, (PrefixAdapter) loaded);
            }
        } finally {
            loaded.release();
        }
    }

    private void copyLora(String where, LoraAdapter from) throws ModelException {
        for (Projection p : model.projections) {
            LoraAdapter.Pair saved = from.pairs[p.index];
            LoraAdapter.Pair into = lora.pairs[p.index];
            if ((saved == null) != (into == null)) {
                throw new ModelException(where + ": " + (saved == null ? "does not adapt " : "adapts ") + p.module
                        + ", this training " + (into == null ? "does not (target modules " + targets() + ")"
                                : "does"));
            }
            if (saved == null) {
                continue;
            }
            if (Math.abs(saved.scale - into.scale) > 1e-6 * Math.abs(into.scale)) {
                throw new ModelException(where + ": LoRA scale of " + p.module + " is " + saved.scale + " (lora_alpha "
                        + from.config.loraAlpha + "), this training's is " + into.scale + " (lora_alpha "
                        + spec.loraAlpha + ")");
            }
            into.a.set(saved.a.toType(DataType.FLOAT32, false).toFloatArray());
            into.b.set(saved.b.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    private void copyPrefix(String where, PrefixAdapter from) throws ModelException {
        if (spec.prefixProjection) {
            throw new ModelException(where + ": a prefix training with a projection encoder cannot start from saved "
                    + "past key/values");
        }
        if (from.virtualTokens != spec.numVirtualTokens) {
            throw new ModelException(where + ": " + from.virtualTokens + " virtual tokens, this training has "
                    + spec.numVirtualTokens);
        }
        trainable.get("prompt_embeddings").set(from.pastKeyValues().toType(DataType.FLOAT32, false).toFloatArray());
    }

    private List<String> targets() {
        if (spec.targetModules != null && !spec.targetModules.isEmpty()) {
            return spec.targetModules;
        }
        return model.config.arch == ModelConfig.Arch.GPT2 ? GPT2_TARGETS : LLAMA_TARGETS;
    }

    /** The adapter_config.json PEFT would write for this adapter. */
    private ObjectNode peftConfig() {
        ModelConfig c = model.config;
        ObjectNode n = ModelConfig.JSON.createObjectNode();
        n.put("base_model_name_or_path", base.name());
        n.put("task_type", "CAUSAL_LM");
        n.put("inference_mode", true);
        if ("PREFIX_TUNING".equals(spec.peftType)) {
            n.put("peft_type", "PREFIX_TUNING");
            n.put("num_virtual_tokens", spec.numVirtualTokens);
            n.put("token_dim", c.kvDim());
            n.put("num_layers", c.layers);
            n.put("num_attention_heads", c.kvHeads);
            n.put("num_transformer_submodules", 1);
            n.put("prefix_projection", spec.prefixProjection);
            n.put("encoder_hidden_size", spec.encoderHiddenSize);
        } else {
            n.put("peft_type", spec.peftType == null ? "LORA" : spec.peftType);
            n.put("r", spec.r);
            n.put("lora_alpha", spec.loraAlpha);
            n.put("lora_dropout", 0.0);
            n.put("use_rslora", spec.useRslora);
            n.put("fan_in_fan_out", c.arch == ModelConfig.Arch.GPT2);
            n.put("bias", "none");
            n.put("init_lora_weights", true);
            var t = n.putArray("target_modules");
            targets().forEach(t::add);
        }
        return n;
    }

    private void initLora() throws ModelException {
        if (spec.r <= 0) {
            throw new ModelException("LoRA rank r must be positive, is " + spec.r);
        }
        LoraAdapter.Pair[] pairs = new LoraAdapter.Pair[model.projections.size()];
        int matched = 0;
        for (Projection p : model.projections) {
            if (!config.targets(p.module)) {
                continue;
            }
            float[] a = new float[spec.r * p.in];
            double bound = 1 / Math.sqrt(p.in);
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            NDArray aw = create(a, spec.r, p.in);
            NDArray bw = create(new float[p.out * spec.r], p.out, spec.r);
            train("base_model.model." + p.module + ".lora_A.weight", aw);
            train("base_model.model." + p.module + ".lora_B.weight", bw);
            pairs[p.index] = new LoraAdapter.Pair(p, aw, bw, (float) config.scale(p.module, spec.r));
            matched++;
        }
        if (matched == 0) {
            throw new ModelException("LoRA target modules " + targets() + " match no projection of base model "
                    + base.name());
        }
        lora = new LoraAdapter("training", config, manager, pairs);
    }

    private int width() {
        return model.config.layers * 2 * model.config.kvDim();
    }

    private void initPrefix() throws ModelException {
        int p = spec.numVirtualTokens;
        if (p <= 0) {
            throw new ModelException("num_virtual_tokens must be positive, is " + p);
        }
        int width = width();
        if (!spec.prefixProjection) {
            train("prompt_embeddings", normal(p * width, 1.0, p, width));
            return;
        }
        int token = model.config.kvDim();
        int hidden = spec.encoderHiddenSize;
        train("prompt_encoder.embedding.weight", normal(p * token, 1.0, p, token));
        train("prompt_encoder.transform.0.weight", uniform(hidden * token, token, hidden, token));
        train("prompt_encoder.transform.0.bias", uniform(hidden, token, hidden));
        train("prompt_encoder.transform.2.weight", uniform(width * hidden, hidden, width, hidden));
        train("prompt_encoder.transform.2.bias", uniform(width, hidden, width));
    }

    private NDArray normal(int n, double std, long... shape) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return create(v, shape);
    }

    /** torch.nn.Linear's default: uniform in +-1/sqrt(fan_in). */
    private NDArray uniform(int n, int fanIn, long... shape) {
        float[] v = new float[n];
        double bound = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return create(v, shape);
    }

    @Override
    int prefixTokens() {
        return lora == null ? spec.numVirtualTokens : 0;
    }

    /** The prefix's past key/values [P, layers * 2 * kvDim], through the projection encoder if there is one. */
    private NDArray pastKeyValues() {
        if (!spec.prefixProjection) {
            return trainable.get("prompt_embeddings");
        }
        NDArray mid = Linear.linear(trainable.get("prompt_encoder.embedding.weight"),
                trainable.get("prompt_encoder.transform.0.weight"), trainable.get("prompt_encoder.transform.0.bias"))
                .singletonOrThrow().tanh();
        return Linear.linear(mid, trainable.get("prompt_encoder.transform.2.weight"),
                trainable.get("prompt_encoder.transform.2.bias")).singletonOrThrow();
    }

    @Override
    ActiveAdapters adapters(NDManager step) {
        LoraAdapter merged = base.merged();
        if (lora != null) {
            return new ActiveAdapters(lora, merged, null);
        }
        ModelConfig c = model.config;
        int p = spec.numVirtualTokens;
        NDArray past = pastKeyValues().reshape(p, 2L * c.layers, c.kvHeads, c.headDim).transpose(1, 2, 0, 3);
        NDArray[] keys = new NDArray[c.layers];
        NDArray[] values = new NDArray[c.layers];
        for (int l = 0; l < c.layers; l++) {
            keys[l] = past.get(2 * l).expandDims(0);
            values[l] = past.get(2 * l + 1).expandDims(0);
        }
        return new ActiveAdapters(null, merged, new PrefixAdapter("training", config, step, keys, values, p));
    }

    void saveAdapter(Path directory) throws ModelException {
        SafetensorsWriter w = new SafetensorsWriter(TensorType.F32);
        if (lora != null) {
            for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                w.add(e.getKey(), e.getValue().toFloatArray(), e.getValue().getShape().getShape());
            }
        } else {
            try (NDArray past = pastKeyValues().duplicate()) {
                w.add("prompt_embeddings", past.toFloatArray(), spec.numVirtualTokens, width());
            }
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(AdapterLoader.CONFIG, config.raw.toPrettyString().getBytes(StandardCharsets.UTF_8));
        files.put(AdapterLoader.WEIGHTS, w.toBytes());
        writeAtomically(directory, files);
    }

    @Override
    ObjectNode describe() {
        ObjectNode d = config.raw.deepCopy();
        List<String> names = new ArrayList<>(trainable.keySet());
        var n = d.putArray("trainable");
        names.forEach(n::add);
        return d;
    }
}

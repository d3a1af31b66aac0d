package org.trafficllm.model.impl;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trafficllm.api.model.ModelException;

/**
 * A Hugging Face {@code config.json}, in either transformers 5's layout (RoPE
 * settings under {@code rope_parameters}, {@code dtype}) or transformers 4's
 * (top-level {@code rope_theta}, {@code rope_scaling}, {@code torch_dtype}), reduced
 * to what the decoders need.
 */
final class ModelConfig {
    static final ObjectMapper JSON = new ObjectMapper();

    enum Arch {
        LLAMA("llama"), QWEN2("qwen2"), GPT2("gpt2");

        final String id;

        Arch(String id) {
            this.id = id;
        }
    }

    /** RoPE frequency scaling as configured: none ("default"), "linear", "dynamic" or "llama3". */
    record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
            int originalMaxPositions) {
    }

    final Arch arch;
    final String modelType;
    final int vocabSize;
    final int hiddenSize;
    final int intermediateSize;
    final int layers;
    final int heads;
    final int kvHeads;
    final int headDim;
    final double normEps;
    final double ropeTheta;
    final RopeScaling ropeScaling;
    final int maxPositions;
    final boolean tieEmbeddings;
    final boolean attentionBias;
    final boolean mlpBias;
    final int eosTokenId;
    /** Every end-of-sequence id (Llama 3 lists several); generation stops at any of them by default. */
    final int[] eosTokenIds;
    final int padTokenId;
    final String dtype;
    /** GPT-2: divide attention scores by (layer index + 1) as well. */
    final boolean scaleAttnByInverseLayerIdx;
    /** The file as read, for writing the model back out. */
    final ObjectNode raw;

    private ModelConfig(String source, ObjectNode c) throws ModelException {
        raw = c;
        modelType = c.path("model_type").asText("");
        arch = switch (modelType) {
            case "llama", "mistral" -> Arch.LLAMA;
            case "qwen2" -> Arch.QWEN2;
            case "gpt2" -> Arch.GPT2;
            default -> throw new ModelException(source + ": model_type '" + modelType
                    + "' is not supported (llama, mistral, qwen2, gpt2 are)");
        };
        vocabSize = required(source, c, "vocab_size");
        if (arch == Arch.GPT2) {
            hiddenSize = required(source, c, "n_embd");
            layers = required(source, c, "n_layer");
            heads = required(source, c, "n_head");
            kvHeads = heads;
            intermediateSize = c.path("n_inner").isNumber() ? c.get("n_inner").asInt() : 4 * hiddenSize;
            normEps = c.path("layer_norm_epsilon").asDouble(1e-5);
            maxPositions = required(source, c, "n_positions");
            tieEmbeddings = c.path("tie_word_embeddings").asBoolean(true);
            attentionBias = true;
            mlpBias = true;
            ropeTheta = 0;
            ropeScaling = null;
            String act = c.path("activation_function").asText("gelu_new");
            if (!act.equals("gelu_new") && !act.equals("gelu_pytorch_tanh")) {
                throw new ModelException(source + ": activation_function '" + act
                        + "' is not supported (gelu_new, gelu_pytorch_tanh are)");
            }
            if (!c.path("scale_attn_weights").asBoolean(true)) {
                throw new ModelException(source + ": scale_attn_weights false is not supported");
            }
            scaleAttnByInverseLayerIdx = c.path("scale_attn_by_inverse_layer_idx").asBoolean(false);
        } else {
            hiddenSize = required(source, c, "hidden_size");
            intermediateSize = required(source, c, "intermediate_size");
            layers = required(source, c, "num_hidden_layers");
            heads = required(source, c, "num_attention_heads");
            kvHeads = c.path("num_key_value_heads").isNumber() ? c.get("num_key_value_heads").asInt() : heads;
            normEps = c.path("rms_norm_eps").asDouble(1e-6);
            maxPositions = c.path("max_position_embeddings").asInt(2048);
            tieEmbeddings = c.path("tie_word_embeddings").asBoolean(arch == Arch.QWEN2);
            attentionBias = arch == Arch.QWEN2 || c.path("attention_bias").asBoolean(false);
            mlpBias = c.path("mlp_bias").asBoolean(false);
            String act = c.path("hidden_act").asText("silu");
            if (!act.equals("silu")) {
                throw new ModelException(source + ": hidden_act '" + act + "' is not supported (silu is)");
            }
            JsonNode rope = c.path("rope_parameters");
            JsonNode scaling = rope.isObject() ? rope : c.path("rope_scaling");
            ropeTheta = rope.isObject() && rope.has("rope_theta") ? rope.get("rope_theta").asDouble()
                    : c.path("rope_theta").asDouble(10000.0);
            ropeScaling = ropeScaling(source, scaling);
            scaleAttnByInverseLayerIdx = false;
        }
        headDim = c.path("head_dim").isNumber() ? c.get("head_dim").asInt() : hiddenSize / heads;
        if (heads % kvHeads != 0) {
            throw new ModelException(source + ": num_attention_heads " + heads
                    + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        if (headDim % 2 != 0 && arch != Arch.GPT2) {
            throw new ModelException(source + ": head_dim " + headDim + " is odd; rotary embeddings need it even");
        }
        eosTokenId = firstInt(c.path("eos_token_id"), -1);
        JsonNode eos = c.path("eos_token_id");
        if (eos.isArray()) {
            eosTokenIds = new int[eos.size()];
            for (int i = 0; i < eosTokenIds.length; i++) {
                eosTokenIds[i] = eos.get(i).asInt();
            }
        } else {
            eosTokenIds = eosTokenId >= 0 ? new int[] {eosTokenId} : new int[0];
        }
        padTokenId = firstInt(c.path("pad_token_id"), eosTokenId);
        dtype = c.has("dtype") ? c.path("dtype").asText("float32") : c.path("torch_dtype").asText("float32");
    }

    static ModelConfig parse(String source, byte[] json) throws ModelException {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelException(source + ": not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ModelException(source + ": not a JSON object");
        }
        return new ModelConfig(source, (ObjectNode) node);
    }

    private static RopeScaling ropeScaling(String source, JsonNode s) throws ModelException {
        if (!s.isObject()) {
            return new RopeScaling("default", 1, 1, 1, 0);
        }
        String type = s.has("rope_type") ? s.get("rope_type").asText() : s.path("type").asText("default");
        switch (type) {
            case "default", "linear", "dynamic", "llama3" -> {
                return new RopeScaling(type, s.path("factor").asDouble(1.0), s.path("low_freq_factor").asDouble(1.0),
                        s.path("high_freq_factor").asDouble(4.0), s.path("original_max_position_embeddings").asInt(0));
            }
            default -> throw new ModelException(source + ": rope type '" + type
                    + "' is not supported (default, linear, dynamic, llama3 are)");
        }
    }

    private static int required(String source, JsonNode c, String field) throws ModelException {
        JsonNode v = c.get(field);
        if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new ModelException(source + ": '" + field + "' missing or not a positive integer");
        }
        return v.asInt();
    }

    private static int firstInt(JsonNode v, int otherwise) {
        if (v.isArray()) {
            return v.size() > 0 ? v.get(0).asInt() : otherwise;
        }
        return v.isNumber() ? v.asInt() : otherwise;
    }

    int kvDim() {
        return kvHeads * headDim;
    }
}

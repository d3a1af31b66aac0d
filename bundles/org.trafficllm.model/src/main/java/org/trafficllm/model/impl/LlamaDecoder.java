package org.trafficllm.model.impl;

import java.nio.FloatBuffer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import org.trafficllm.api.model.ModelException;

/**
 * The Llama family (Llama 2/3, Mistral, TinyLlama, SmolLM) and Qwen2: RMSNorm,
 * rotary embeddings, grouped-query attention (Qwen2 adds q/k/v biases), SwiGLU MLP,
 * tied or separate output head.
 */
final class LlamaDecoder extends DecoderModel {
    private final RotaryEmbedding rope;
    private Layer[] layers;
    private NDArray finalNorm;

    private static final class Layer {
        NDArray inputNorm;
        NDArray postNorm;
        Projection q;
        Projection k;
        Projection v;
        Projection o;
        Projection gate;
        Projection up;
        Projection down;
    }

    LlamaDecoder(ModelConfig config, NDManager manager) {
        super(config, manager);
        this.rope = new RotaryEmbedding(config);
    }

    @Override
    void loadWeights(Checkpoint ck) throws ModelException {
        ModelConfig c = config;
        String prefix = ck.has("model.embed_tokens.weight") || !ck.has("embed_tokens.weight") ? "model." : "";
        int h = c.hiddenSize;
        embedding = weight("model.embed_tokens.weight", ck.take(prefix + "embed_tokens.weight", c.vocabSize, h), c.vocabSize, h);
        boolean oBias = c.arch == ModelConfig.Arch.LLAMA && c.attentionBias;
        layers = new Layer[c.layers];
        for (int i = 0; i < c.layers; i++) {
            String stored = prefix + "layers." + i + ".";
            String module = "model.layers." + i + ".";
            Layer l = new Layer();
            l.inputNorm = weight(module + "input_layernorm.weight", ck.take(stored + "input_layernorm.weight", h), h);
            l.postNorm = weight(module + "post_attention_layernorm.weight",
                    ck.take(stored + "post_attention_layernorm.weight", h), h);
            int qDim = c.heads * c.headDim;
            l.q = projection(ck, stored + "self_attn.q_proj", module + "self_attn.q_proj", h, qDim, c.attentionBias, false);
            l.k = projection(ck, stored + "self_attn.k_proj", module + "self_attn.k_proj", h, c.kvDim(), c.attentionBias,
                    false);
            l.v = projection(ck, stored + "self_attn.v_proj", module + "self_attn.v_proj", h, c.kvDim(), c.attentionBias,
                    false);
            l.o = projection(ck, stored + "self_attn.o_proj", module + "self_attn.o_proj", qDim, h, oBias, false);
            l.gate = projection(ck, stored + "mlp.gate_proj", module + "mlp.gate_proj", h, c.intermediateSize, c.mlpBias,
                    false);
            l.up = projection(ck, stored + "mlp.up_proj", module + "mlp.up_proj", h, c.intermediateSize, c.mlpBias, false);
            l.down = projection(ck, stored + "mlp.down_proj", module + "mlp.down_proj", c.intermediateSize, h, c.mlpBias,
                    false);
            ck.ignore(stored + "self_attn.rotary_emb.inv_freq");
            layers[i] = l;
        }
        finalNorm = weight("model.norm.weight", ck.take(prefix + "norm.weight", h), h);
        loadHead(ck);
    }

    @Override
    NDArray embed(NDArray ids, Inputs in) {
        int d = config.headDim;
        float[] cos = new float[in.positions.length * d];
        float[] sin = new float[cos.length];
        rope.table(in.positions, cos, sin);
        NDManager m = ids.getManager();
        Shape shape = new Shape(in.batch, 1, in.tokens, d);
        in.cos = m.create(FloatBuffer.wrap(cos), shape);
        in.sin = m.create(FloatBuffer.wrap(sin), shape);
        return embedRows(ids, embedding);
    }

    @Override
    NDArray layers(NDArray x, Inputs in, KvCache cache, ActiveAdapters a) {
        ModelConfig c = config;
        float scale = (float) (1.0 / Math.sqrt(c.headDim));
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            NDArray h = rmsNorm(x, l.inputNorm);
            NDArray q = rotate(splitHeads(l.q.apply(h, a), c.heads, c.headDim), in);
            NDArray k = rotate(splitHeads(l.k.apply(h, a), c.kvHeads, c.headDim), in);
            NDArray v = splitHeads(l.v.apply(h, a), c.kvHeads, c.headDim);
            cache.append(i, k, v);
            NDArray att = attend(q, cache.keys[i], cache.values[i], in.mask, scale);
            x = x.add(l.o.apply(att, a));
            h = rmsNorm(x, l.postNorm);
            NDArray gate = l.gate.apply(h, a);
            NDArray act = gate.mul(Activation.sigmoid(gate)).mul(l.up.apply(h, a));
            x = x.add(l.down.apply(act, a));
        }
        cache.length += in.tokens;
        return rmsNorm(x, finalNorm);
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.div(variance.add((float) config.normEps).sqrt()).mul(weight);
    }

    /** {@code x * cos + rotate_half(x) * sin}, rotate_half(x) = [-x2, x1]. */
    private static NDArray rotate(NDArray x, Inputs in) {
        NDList halves = x.split(2, 3);
        NDArray rotated = concatLast(halves.get(1).neg(), halves.get(0));
        return x.mul(in.cos).add(rotated.mul(in.sin));
    }
}

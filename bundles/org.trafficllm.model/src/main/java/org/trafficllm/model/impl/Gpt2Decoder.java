package org.trafficllm.model.impl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

import org.trafficllm.api.model.ModelException;

/**
 * GPT-2: learned position embeddings, pre-LayerNorm blocks, fused q/k/v projection,
 * GELU (tanh approximation), Conv1D weights stored {@code [in, out]}, head tied to
 * the token embedding.
 */
final class Gpt2Decoder extends DecoderModel {
    private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);
    private NDArray positionEmbedding;
    private Layer[] layers;
    private NDArray finalNormWeight;
    private NDArray finalNormBias;

    private static final class Layer {
        NDArray ln1Weight;
        NDArray ln1Bias;
        NDArray ln2Weight;
        NDArray ln2Bias;
        Projection attn;
        Projection attnProj;
        Projection fc;
        Projection mlpProj;
    }

    Gpt2Decoder(ModelConfig config, NDManager manager) {
        super(config, manager);
    }

    @Override
    void loadWeights(Checkpoint ck) throws ModelException {
        ModelConfig c = config;
        String prefix = ck.has("transformer.wte.weight") || !ck.has("wte.weight") ? "transformer." : "";
        int h = c.hiddenSize;
        embedding = weight("transformer.wte.weight", ck.take(prefix + "wte.weight", c.vocabSize, h), c.vocabSize, h);
        positionEmbedding = weight("transformer.wpe.weight", ck.take(prefix + "wpe.weight", c.maxPositions, h),
                c.maxPositions, h);
        layers = new Layer[c.layers];
        for (int i = 0; i < c.layers; i++) {
            String stored = prefix + "h." + i + ".";
            String module = "transformer.h." + i + ".";
            Layer l = new Layer();
            l.ln1Weight = weight(module + "ln_1.weight", ck.take(stored + "ln_1.weight", h), h);
            l.ln1Bias = weight(module + "ln_1.bias", ck.take(stored + "ln_1.bias", h), h);
            l.ln2Weight = weight(module + "ln_2.weight", ck.take(stored + "ln_2.weight", h), h);
            l.ln2Bias = weight(module + "ln_2.bias", ck.take(stored + "ln_2.bias", h), h);
            l.attn = projection(ck, stored + "attn.c_attn", module + "attn.c_attn", h, 3 * h, true, true);
            l.attnProj = projection(ck, stored + "attn.c_proj", module + "attn.c_proj", h, h, true, true);
            l.fc = projection(ck, stored + "mlp.c_fc", module + "mlp.c_fc", h, c.intermediateSize, true, true);
            l.mlpProj = projection(ck, stored + "mlp.c_proj", module + "mlp.c_proj", c.intermediateSize, h, true, true);
            ck.ignore(stored + "attn.bias");
            ck.ignore(stored + "attn.masked_bias");
            layers[i] = l;
        }
        finalNormWeight = weight("transformer.ln_f.weight", ck.take(prefix + "ln_f.weight", h), h);
        finalNormBias = weight("transformer.ln_f.bias", ck.take(prefix + "ln_f.bias", h), h);
        loadHead(ck);
    }

    @Override
    NDArray embed(NDArray ids, Inputs in) {
        in.positionIds = longs(ids.getManager(), in.positions, in.batch, in.tokens);
        return embedRows(ids, embedding).add(embedRows(in.positionIds, positionEmbedding));
    }

    @Override
    NDArray layers(NDArray x, Inputs in, KvCache cache, ActiveAdapters a) {
        ModelConfig c = config;
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            float scale = (float) (1.0 / Math.sqrt(c.headDim) / (c.scaleAttnByInverseLayerIdx ? i + 1 : 1));
            NDArray h = layerNorm(x, l.ln1Weight, l.ln1Bias);
            NDList qkv = l.attn.apply(h, a).split(3, 2);
            NDArray q = splitHeads(qkv.get(0), c.heads, c.headDim);
            NDArray k = splitHeads(qkv.get(1), c.heads, c.headDim);
            NDArray v = splitHeads(qkv.get(2), c.heads, c.headDim);
            cache.append(i, k, v);
            NDArray att = attend(q, cache.keys[i], cache.values[i], in.mask, scale);
            x = x.add(l.attnProj.apply(att, a));
            h = layerNorm(x, l.ln2Weight, l.ln2Bias);
            x = x.add(l.mlpProj.apply(gelu(l.fc.apply(h, a)), a));
        }
        cache.length += in.tokens;
        return layerNorm(x, finalNormWeight, finalNormBias);
    }

    private NDArray layerNorm(NDArray x, NDArray weight, NDArray bias) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize), weight, bias, (float) config.normEps)
                .singletonOrThrow();
    }

    /** GPT-2's "gelu_new": {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    private static NDArray gelu(NDArray x) {
        NDArray inner = times(times(x.mul(x).mul(x), 0.044715f).add(x), GELU_C);
        return times(inner.tanh().add(1f).mul(x), 0.5f);
    }
}

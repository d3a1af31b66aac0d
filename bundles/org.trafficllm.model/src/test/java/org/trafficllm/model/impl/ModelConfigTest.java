package org.trafficllm.model.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ModelConfigTest {
    private static final String LLAMA = "\"model_type\":\"llama\",\"hidden_size\":4096,\"intermediate_size\":14336,"
            + "\"num_hidden_layers\":32,\"num_attention_heads\":32,\"num_key_value_heads\":8,\"vocab_size\":128256,"
            + "\"max_position_embeddings\":131072,\"eos_token_id\":[128001,128008,128009]";
    private static final String SCALING = "\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
            + "\"original_max_position_embeddings\":8192,\"rope_type\":\"llama3\"";

    private static ModelConfig parse(String json) throws Exception {
        return ModelConfig.parse("config.json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void llama3ScalingReadsTheSameFromBothLayouts() throws Exception {
        ModelConfig v4 = parse("{" + LLAMA + ",\"rope_theta\":500000.0,\"rope_scaling\":{" + SCALING
                + "},\"torch_dtype\":\"bfloat16\"}");
        ModelConfig v5 = parse("{" + LLAMA + ",\"rope_parameters\":{\"rope_theta\":500000.0," + SCALING
                + "},\"dtype\":\"bfloat16\"}");
        for (ModelConfig c : new ModelConfig[] {v4, v5}) {
            assertThat(c.ropeTheta).isEqualTo(500000.0);
            assertThat(c.ropeScaling).isEqualTo(new ModelConfig.RopeScaling("llama3", 8, 1, 4, 8192));
            assertThat(c.headDim).isEqualTo(128);
            assertThat(c.kvHeads).isEqualTo(8);
            assertThat(c.dtype).isEqualTo("bfloat16");
            assertThat(c.eosTokenIds).containsExactly(128001, 128008, 128009);
        }
    }

    @Test
    void llama3ScalingKeepsHighFrequenciesAndDividesLowOnes() throws Exception {
        ModelConfig plain = parse("{" + LLAMA + ",\"rope_theta\":500000.0}");
        ModelConfig scaled = parse("{" + LLAMA + ",\"rope_theta\":500000.0,\"rope_scaling\":{" + SCALING + "}}");
        int d = plain.headDim;
        float[] cos = new float[d];
        float[] sin = new float[d];
        float[] cosScaled = new float[d];
        float[] sinScaled = new float[d];
        new RotaryEmbedding(plain).table(new int[] {1}, cos, sin);
        new RotaryEmbedding(scaled).table(new int[] {1}, cosScaled, sinScaled);
        double highWavelen = 8192 / 4.0;
        double lowWavelen = 8192 / 1.0;
        for (int i = 0; i < d / 2; i++) {
            double freq = Math.atan2(sin[i], cos[i]);
            double freqScaled = Math.atan2(sinScaled[i], cosScaled[i]);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highWavelen) {
                assertThat(freqScaled).as("component %d", i).isCloseTo(freq, org.assertj.core.data.Offset.offset(1e-7));
            } else if (wavelen > lowWavelen) {
                assertThat(freqScaled).as("component %d", i).isCloseTo(freq / 8,
                        org.assertj.core.data.Percentage.withPercentage(1e-3));
            } else {
                assertThat(freqScaled).isBetween(freq / 8 * 0.999, freq * 1.001);
            }
        }
    }

    @Test
    void rejectsWhatItCannotRun() {
        assertThatThrownBy(() -> parse("{\"model_type\":\"bert\"}")).hasMessageContaining("model_type 'bert'");
        assertThatThrownBy(() -> parse("{" + LLAMA.replace("\"num_key_value_heads\":8", "\"num_key_value_heads\":5")
                + "}")).hasMessageContaining("not a multiple");
        assertThatThrownBy(() -> parse("{" + LLAMA + ",\"rope_scaling\":{\"rope_type\":\"yarn\",\"factor\":4}}"))
                .hasMessageContaining("rope type 'yarn'");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("not a JSON object");
    }
}

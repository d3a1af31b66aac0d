package org.trafficllm.model.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.model.ModelException;

class SafetensorsFileTest {

    record Spec(String dtype, long[] shape) {
    }

    /** A well-formed file whose tensors hold 0.5, 1.5, 2.5, ... in their own dtype. */
    static byte[] file(Map<String, Spec> tensors) {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        ByteBuffer data = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Spec> e : new LinkedHashMap<>(tensors).entrySet()) {
            long n = 1;
            for (long d : e.getValue().shape()) {
                n *= d;
            }
            int begin = data.position();
            for (int i = 0; i < n; i++) {
                float v = i + 0.5f;
                switch (e.getValue().dtype()) {
                    case "F32" -> data.putFloat(v);
                    case "F16" -> data.putShort(TensorType.floatToHalf(v));
                    case "BF16" -> data.putShort(TensorType.floatToBfloat16(v));
                    default -> throw new IllegalArgumentException(e.getValue().dtype());
                }
            }
            header.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"").append(e.getValue().dtype())
                    .append("\",\"shape\":").append(java.util.Arrays.toString(e.getValue().shape()))
                    .append(",\"data_offsets\":[").append(begin).append(',').append(data.position()).append("]}");
        }
        return raw(header.append('}').toString(), data.flip());
    }

    static byte[] raw(String header, ByteBuffer data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(data);
        return out.array();
    }

    @Test
    void readsEveryFloatTypeAsFloat32(@TempDir Path dir) throws Exception {
        Map<String, Spec> specs = new LinkedHashMap<>();
        specs.put("a", new Spec("F32", new long[] {2, 3}));
        specs.put("b", new Spec("F16", new long[] {4}));
        specs.put("c", new Spec("BF16", new long[] {2, 2}));
        Path f = dir.resolve("m.safetensors");
        Files.write(f, file(specs));
        SafetensorsFile st = SafetensorsFile.open(f);
        assertThat(st.metadata()).containsEntry("format", "pt");
        assertThat(st.tensors().get("a").shape()).containsExactly(2, 3);
        assertThat(st.tensors().get("a").toFloats()).containsExactly(0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f);
        assertThat(st.tensors().get("b").toFloats()).containsExactly(0.5f, 1.5f, 2.5f, 3.5f);
        assertThat(st.tensors().get("c").toFloats()).containsExactly(0.5f, 1.5f, 2.5f, 3.5f);
    }

    @Test
    void halfPrecisionConversionsRoundTrip() {
        for (float v : new float[] {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.1f}) {
            float h = TensorType.halfToFloat(TensorType.floatToHalf(v));
            assertThat(Math.abs(h - v)).as("%s", v).isLessThanOrEqualTo(Math.abs(v) * 1e-3f);
        }
        assertThat(TensorType.halfToFloat(TensorType.floatToHalf(1e6f))).isInfinite();
        assertThat(Float.intBitsToFloat(TensorType.floatToBfloat16(1.00390625f) << 16)).isEqualTo(1.0f);
    }

    @Test
    void rejectsAHeaderLengthPastTheEnd() {
        byte[] f = file(Map.of("a", new Spec("F32", new long[] {2})));
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, f.length);
        assertThatThrownBy(() -> SafetensorsFile.parse("x.safetensors", f)).isInstanceOf(ModelException.class)
                .hasMessage("x.safetensors: header length " + f.length + " at byte 0 runs past the end of the "
                        + f.length + "-byte file");
        assertThatThrownBy(() -> SafetensorsFile.parse("y.safetensors", new byte[5]))
                .hasMessageContaining("too short");
    }

    @Test
    void rejectsOverlappingAndOutOfRangeOffsets() {
        ByteBuffer data = ByteBuffer.allocate(16);
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertThatThrownBy(() -> SafetensorsFile.parse("o.safetensors", raw(overlap, data.duplicate())))
                .hasMessageContaining("overlaps tensor");
        String outside = "{\"a\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]}}";
        assertThatThrownBy(() -> SafetensorsFile.parse("r.safetensors", raw(outside, data.duplicate())))
                .hasMessage("r.safetensors: tensor a: data_offsets [0, 32] outside the data section of 16 bytes");
    }

    @Test
    void rejectsSizeMismatchAndUnknownDtype() {
        ByteBuffer data = ByteBuffer.allocate(16);
        String mismatch = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}";
        assertThatThrownBy(() -> SafetensorsFile.parse("s.safetensors", raw(mismatch, data.duplicate())))
                .hasMessage("s.safetensors: tensor a: shape [3] of F32 needs 12 bytes, data_offsets give 16");
        String unknown = "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[16],\"data_offsets\":[0,16]}}";
        assertThatThrownBy(() -> SafetensorsFile.parse("u.safetensors", raw(unknown, data.duplicate())))
                .hasMessage("u.safetensors: tensor a: unknown dtype 'F8_E4M3'");
        assertThatThrownBy(() -> SafetensorsFile.parse("j.safetensors", raw("{not json", data.duplicate())))
                .hasMessageContaining("is not JSON");
    }

    @Test
    void checkpointReportsMissingAndUnexpectedTensors(@TempDir Path dir) throws Exception {
        Path model = Fixtures.modelDir("llama-tiny", dir);
        Map<String, Spec> specs = new LinkedHashMap<>();
        specs.put("model.embed_tokens.weight", new Spec("F32", new long[] {384, 64}));
        Files.write(model.resolve("model.safetensors"), file(specs));
        try (EngineExecutor engine = new EngineExecutor(1)) {
            assertThatThrownBy(() -> LoadedBaseModel.load("broken", "1", model, engine))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("tensor model.layers.0.input_layernorm.weight is missing");
        }
        Checkpoint extra = new Checkpoint("e.safetensors", SafetensorsFile.parse("e.safetensors",
                file(Map.of("a", new Spec("F32", new long[] {1}), "b", new Spec("F32", new long[] {1})))).tensors());
        extra.take("a", 1);
        assertThat(extra.untaken()).containsExactly("b");
    }
}

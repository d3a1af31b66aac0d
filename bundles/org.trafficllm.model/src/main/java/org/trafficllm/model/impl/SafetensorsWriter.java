package org.trafficllm.model.impl;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes float tensors in the safetensors format (F32, F16 or BF16), in the order
 * they were added, with the header padded to 8 bytes as the reference writer does.
 */
final class SafetensorsWriter {
    private final TensorType type;
    private final Map<String, float[]> data = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();

    SafetensorsWriter(TensorType type) {
        if (type != TensorType.F32 && type != TensorType.F16 && type != TensorType.BF16) {
            throw new IllegalArgumentException("cannot write " + type);
        }
        this.type = type;
    }

    SafetensorsWriter add(String name, float[] values, long... shape) {
        data.put(name, values);
        shapes.put(name, shape);
        return this;
    }

    byte[] toBytes() {
        ObjectNode header = ModelConfig.JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, float[]> e : data.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", type.name());
            var shape = t.putArray("shape");
            for (long d : shapes.get(e.getKey())) {
                shape.add(d);
            }
            long end = offset + (long) e.getValue().length * type.bytes;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (float[] values : data.values()) {
            for (float v : values) {
                switch (type) {
                    case F32 -> out.putFloat(v);
                    case F16 -> out.putShort(TensorType.floatToHalf(v));
                    default -> out.putShort(TensorType.floatToBfloat16(v));
                }
            }
        }
        return out.array();
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(toBytes());
    }
}

package org.trafficllm.model.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.trafficllm.api.model.ModelException;

/**
 * A safetensors file: an 8-byte little-endian header length, a JSON header naming
 * every tensor's dtype, shape and byte range, and the data section those ranges
 * point into. Everything is checked before any tensor is handed out, so a damaged
 * file fails here with the name of the file and the offending tensor.
 */
final class SafetensorsFile {
    /** The format caps the header; a larger claim means a damaged or foreign file. */
    private static final long MAX_HEADER = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor: its element type, shape and the bytes of its data. */
    record Tensor(String name, TensorType type, long[] shape, ByteBuffer data) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        float[] toFloats() {
            return type.toFloats(data);
        }
    }

    private final String source;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(String source, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.source = source;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Reads the range of one tensor out of the data section. */
    @FunctionalInterface
    private interface DataSection {
        ByteBuffer slice(long offset, long length) throws IOException;
    }

    /**
     * Maps a file read-only, one mapping per tensor so files past 2 GB work; the
     * mappings live as long as the returned tensors are reachable.
     */
    static SafetensorsFile open(Path file) throws ModelException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (readFully(ch, len, 0) < 8) {
                throw new ModelException(file + ": " + size + " bytes, too short for a safetensors header length");
            }
            long headerLength = len.getLong(0);
            checkHeaderLength(file.toString(), headerLength, size);
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(ch, header, 8);
            long dataStart = 8 + headerLength;
            return parse(file.toString(), header.array(), size - dataStart,
                    (offset, length) -> ch.map(FileChannel.MapMode.READ_ONLY, dataStart + offset, length));
        } catch (IOException e) {
            throw new ModelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static int readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
        int read = 0;
        while (into.hasRemaining() && read >= 0) {
            read = ch.read(into, position + into.position());
        }
        return into.position();
    }

    static SafetensorsFile parse(String source, byte[] bytes) throws ModelException {
        return parse(source, ByteBuffer.wrap(bytes));
    }

    static SafetensorsFile parse(String source, ByteBuffer buffer) throws ModelException {
        ByteBuffer all = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long size = all.remaining();
        if (size < 8) {
            throw new ModelException(source + ": " + size + " bytes, too short for a safetensors header length");
        }
        long headerLength = all.getLong(0);
        checkHeaderLength(source, headerLength, size);
        byte[] headerBytes = new byte[(int) headerLength];
        all.get(8, headerBytes);
        int dataStart = 8 + (int) headerLength;
        try {
            return parse(source, headerBytes, size - dataStart, (offset, length) -> all.slice(dataStart + (int) offset,
                    (int) length));
        } catch (IOException e) {
            throw new ModelException(source + ": " + e.getMessage(), e);
        }
    }

    private static void checkHeaderLength(String source, long headerLength, long size) throws ModelException {
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
            throw new ModelException(source + ": header length " + headerLength + " at byte 0 runs past the end of the "
                    + size + "-byte file");
        }
    }

    private static SafetensorsFile parse(String source, byte[] headerBytes, long dataSize, DataSection section)
            throws ModelException, IOException {
        long headerLength = headerBytes.length;
        JsonNode header;
        try {
            header = JSON.readTree(headerBytes);
        } catch (IOException e) {
            throw new ModelException(source + ": header (bytes 8.." + (8 + headerLength) + ") is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (header == null || !header.isObject()) {
            throw new ModelException(source + ": header is not a JSON object");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        List<String> rangeNames = new ArrayList<>();
        List<Map.Entry<String, long[]>> specs = new ArrayList<>();
        List<TensorType> types = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode spec = e.getValue();
            if (name.equals("__metadata__")) {
                spec.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String where = source + ": tensor " + name;
            TensorType type = TensorType.of(spec.path("dtype").asText());
            if (type == null) {
                throw new ModelException(where + ": unknown dtype '" + spec.path("dtype").asText() + "'");
            }
            JsonNode shapeNode = spec.path("shape");
            JsonNode offsets = spec.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new ModelException(where + ": header entry needs 'shape' and two 'data_offsets'");
            }
            long[] shape = new long[shapeNode.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new ModelException(where + ": negative dimension in shape " + shapeNode);
                }
                elements = Math.multiplyExact(elements, shape[i]);
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataSize) {
                throw new ModelException(where + ": data_offsets [" + begin + ", " + end
                        + "] outside the data section of " + dataSize + " bytes");
            }
            if (end - begin != elements * type.bytes) {
                throw new ModelException(where + ": shape " + Arrays.toString(shape) + " of " + type + " needs "
                        + elements * type.bytes + " bytes, data_offsets give " + (end - begin));
            }
            ranges.add(new long[] {begin, end});
            rangeNames.add(name);
            specs.add(Map.entry(name, shape));
            types.add(type);
        }
        checkOverlaps(source, ranges, rangeNames);
        for (int i = 0; i < ranges.size(); i++) {
            Map.Entry<String, long[]> spec = specs.get(i);
            long[] r = ranges.get(i);
            ByteBuffer data = section.slice(r[0], r[1] - r[0]).order(ByteOrder.LITTLE_ENDIAN);
            tensors.put(spec.getKey(), new Tensor(spec.getKey(), types.get(i), spec.getValue(), data));
        }
        return new SafetensorsFile(source, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static void checkOverlaps(String source, List<long[]> ranges, List<String> names) throws ModelException {
        Integer[] order = new Integer[ranges.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> ranges.get(i)[0]));
        for (int k = 1; k < order.length; k++) {
            long[] prev = ranges.get(order[k - 1]);
            long[] cur = ranges.get(order[k]);
            if (cur[0] < prev[1] && cur[1] > cur[0]) {
                throw new ModelException(source + ": tensor " + names.get(order[k]) + " (bytes " + cur[0] + ".." + cur[1]
                        + ") overlaps tensor " + names.get(order[k - 1]) + " (bytes " + prev[0] + ".." + prev[1] + ")");
            }
        }
    }

    String source() {
        return source;
    }

    Map<String, Tensor> tensors() {
        return tensors;
    }

    Map<String, String> metadata() {
        return metadata;
    }
}

package org.trafficllm.model.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import org.trafficllm.api.model.ModelException;
import org.trafficllm.model.impl.SafetensorsFile.Tensor;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the
 * shards listed by {@code model.safetensors.index.json}. Tensors are taken by name;
 * whatever the architecture did not take is reported as unexpected.
 */
class Checkpoint {
    private final String source;
    private final Map<String, Tensor> tensors;
    private final Set<String> taken = new LinkedHashSet<>();

    Checkpoint(String source, Map<String, Tensor> tensors) {
        this.source = source;
        this.tensors = tensors;
    }

    static Checkpoint open(Path directory) throws ModelException {
        Path single = directory.resolve("model.safetensors");
        Path index = directory.resolve("model.safetensors.index.json");
        if (Files.isRegularFile(single)) {
            return new Checkpoint(single.toString(), SafetensorsFile.open(single).tensors());
        }
        if (!Files.isRegularFile(index)) {
            throw new ModelException(directory + ": neither model.safetensors nor model.safetensors.index.json found");
        }
        JsonNode map;
        try {
            map = ModelConfig.JSON.readTree(Files.readAllBytes(index)).path("weight_map");
        } catch (IOException e) {
            throw new ModelException(index + ": cannot read: " + e.getMessage(), e);
        }
        if (!map.isObject()) {
            throw new ModelException(index + ": no 'weight_map' object");
        }
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String shardName = e.getValue().asText();
            Path shardPath = directory.resolve(shardName).normalize();
            if (!shardPath.startsWith(directory.normalize())) {
                throw new ModelException(index + ": shard '" + shardName + "' lies outside the model directory");
            }
            SafetensorsFile shard = shards.get(shardName);
            if (shard == null) {
                if (!Files.isRegularFile(shardPath)) {
                    throw new ModelException(index + ": shard '" + shardName + "' (for " + e.getKey() + ") not found");
                }
                shard = SafetensorsFile.open(shardPath);
                shards.put(shardName, shard);
            }
            Tensor t = shard.tensors().get(e.getKey());
            if (t == null) {
                throw new ModelException(shardPath + ": tensor " + e.getKey() + " listed in the index is missing");
            }
            tensors.put(e.getKey(), t);
        }
        return new Checkpoint(index.toString(), tensors);
    }

    boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Takes a tensor that must be there with exactly this shape, as float32 values. */
    float[] take(String name, long... shape) throws ModelException {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelException(source + ": tensor " + name + " is missing");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelException(source + ": tensor " + name + " has shape " + Arrays.toString(t.shape())
                    + ", the config asks for " + Arrays.toString(shape));
        }
        if (!t.type().isFloat()) {
            throw new ModelException(source + ": tensor " + name + " is " + t.type() + ", weights must be floating point");
        }
        taken.add(name);
        return t.toFloats();
    }

    /** Marks tensors that are known to carry nothing the decoder needs (e.g. cached masks). */
    void ignore(String name) {
        if (tensors.containsKey(name)) {
            taken.add(name);
        }
    }

    /** Names present in the files that nothing took. */
    List<String> untaken() {
        List<String> rest = new ArrayList<>(new TreeSet<>(tensors.keySet()));
        rest.removeAll(taken);
        return rest;
    }

    String source() {
        return source;
    }
}

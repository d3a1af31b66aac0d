package org.trafficllm.model.impl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The shared reference fixtures (tiny HF models, PEFT adapters, golden outputs). */
final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static Path root() {
        String p = System.getProperty("trafficllm.fixtures");
        if (p == null) {
            throw new IllegalStateException("system property trafficllm.fixtures is not set");
        }
        Path root = Paths.get(p);
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("fixtures directory " + root + " does not exist");
        }
        return root;
    }

    static Path dir(String name) {
        return root().resolve(name);
    }

    static Path tokenizer() {
        return dir("tokenizer").resolve("tokenizer.json");
    }

    record Case(String text, int[] inputIds, float[][] logits, int[] greedy) {
    }

    static List<Case> golden(String name) {
        try {
            JsonNode root = JSON.readTree(dir(name).resolve("golden.json").toFile());
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                int[] ids = ints(c.get("input_ids"));
                JsonNode rows = c.get("logits");
                float[][] logits = new float[rows.size()][];
                for (int i = 0; i < logits.length; i++) {
                    JsonNode row = rows.get(i);
                    logits[i] = new float[row.size()];
                    for (int j = 0; j < logits[i].length; j++) {
                        logits[i][j] = (float) row.get(j).asDouble();
                    }
                }
                cases.add(new Case(c.get("text").asText(), ids, logits, ints(c.get("greedy_new_tokens"))));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** Largest |a - b| over all entries. */
    static double maxDiff(float[][] a, float[][] b) {
        if (a.length != b.length) {
            throw new AssertionError("rows " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) {
                throw new AssertionError("row " + i + ": " + a[i].length + " vs " + b[i].length);
            }
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    /** A model directory: the fixture's config and weights with the shared tokenizer beside them. */
    static Path modelDir(String name, Path into) {
        try {
            Path dir = Files.createDirectories(into.resolve(name));
            Files.copy(dir(name).resolve("config.json"), dir.resolve("config.json"));
            Files.copy(dir(name).resolve("model.safetensors"), dir.resolve("model.safetensors"));
            Files.copy(tokenizer(), dir.resolve("tokenizer.json"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.trafficllm.model.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.model.ModelTrainingSpec;

/**
 * Full-parameter training of a whole model, fresh or loaded, and writing it back in
 * Hugging Face layout.
 */
final class ModelTrainingRun extends TrainingRun {
    private final Path tokenizer;

    private ModelTrainingRun(DecoderModel model, Random random, ModelTrainingSpec spec, Path tokenizer) {
        super(model, model.manager.newSubManager(), spec.optimizer, random);
        this.tokenizer = tokenizer;
        trainAll();
    }

    static ModelTrainingRun open(ModelTrainingSpec spec) throws ModelException {
        Random random = new Random(spec.seed);
        NDManager root = EngineExecutor.newRootManager();
        try {
            if (spec.modelDirectory != null) {
                Path config = spec.modelDirectory.resolve("config.json");
                ModelConfig c = ModelConfig.parse(config.toString(), read(config));
                DecoderModel m = DecoderModel.load(c, Checkpoint.open(spec.modelDirectory), root);
                Path tok = spec.tokenizerFile != null ? spec.tokenizerFile : spec.modelDirectory.resolve("tokenizer.json");
                return new ModelTrainingRun(m, random, spec, tok);
            }
            if (spec.configJson == null || spec.tokenizerFile == null) {
                throw new ModelException("model training needs a model directory, or a config and a tokenizer file");
            }
            ModelConfig c = ModelConfig.parse("model training config", spec.configJson.getBytes(StandardCharsets.UTF_8));
            DecoderModel m = DecoderModel.load(c, new FreshWeights(c, random), root);
            return new ModelTrainingRun(m, random, spec, spec.tokenizerFile);
        } catch (ModelException | RuntimeException e) {
            root.close();
            throw e;
        }
    }

    private static byte[] read(Path file) throws ModelException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private void trainAll() {
        trainable.clear();
        for (Map.Entry<String, NDArray> e : model.parameters.entrySet()) {
            train(e.getKey(), e.getValue());
        }
    }

    @Override
    ActiveAdapters adapters(NDManager step) {
        return ActiveAdapters.NONE;
    }

    void growVocabulary(int newSize, Map<Integer, int[]> initFrom) throws ModelException {
        if (steps > 0) {
            throw new ModelException("the vocabulary can only grow before the first update (step " + steps + ")");
        }
        model.growVocabulary(newSize, initFrom);
        trainAll();
    }

    void saveModel(Path directory, String dtype) throws ModelException {
        TensorType type = switch (dtype == null ? "float32" : dtype) {
            case "float32" -> TensorType.F32;
            case "float16" -> TensorType.F16;
            case "bfloat16" -> TensorType.BF16;
            default -> throw new ModelException("dtype '" + dtype + "' is not one of float32, float16, bfloat16");
        };
        SafetensorsWriter w = new SafetensorsWriter(type);
        for (Map.Entry<String, NDArray> e : model.parameters.entrySet()) {
            long[] shape = e.getValue().getShape().getShape();
            float[] values = e.getValue().toFloatArray();
            String module = e.getKey().substring(0, e.getKey().length() - ".weight".length());
            Projection p = e.getKey().endsWith(".weight") ? model.byModule.get(module) : null;
            if (p != null && p.transposedInCheckpoint) {
                float[] stored = new float[values.length];
                for (int o = 0; o < p.out; o++) {
                    for (int i = 0; i < p.in; i++) {
                        stored[i * p.out + o] = values[o * p.in + i];
                    }
                }
                values = stored;
                shape = new long[] {p.in, p.out};
            }
            w.add(e.getKey(), values, shape);
        }
        ObjectNode config = model.config.raw.deepCopy();
        config.put("vocab_size", model.config.vocabSize);
        config.put(config.has("torch_dtype") ? "torch_dtype" : "dtype", dtype == null ? "float32" : dtype);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", config.toPrettyString().getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", w.toBytes());
        files.put("tokenizer.json", read(tokenizer));
        writeAtomically(directory, files);
    }

    @Override
    ObjectNode describe() {
        ObjectNode d = model.config.raw.deepCopy();
        d.put("vocab_size", model.config.vocabSize);
        return d;
    }

    @Override
    public void close() {
        super.close();
        model.close();
    }
}

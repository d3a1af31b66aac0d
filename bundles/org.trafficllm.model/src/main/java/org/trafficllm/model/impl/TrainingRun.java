package org.trafficllm.model.impl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.FloatBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.model.OptimizerSettings;
import org.trafficllm.api.model.StepResult;
import org.trafficllm.api.model.TrainingBatch;
import org.trafficllm.api.model.UpdateResult;

/**
 * The engine side of a training session: named trainable weights, a loss over a
 * batch with DJL's autograd, AdamW with global-norm clipping, and the state that a
 * resumed run needs to continue bit for bit. Every method runs on an engine thread.
 * Each step's intermediate arrays live in an {@link NDScope} and are freed when the
 * step returns, so memory stays flat however many steps run.
 */
abstract class TrainingRun implements AutoCloseable {
    final DecoderModel model;
    final NDManager manager;
    final OptimizerSettings optimizer;
    Random random;
    /** Trainable weights by name, in a fixed order (the order of updates and of the saved state). */
    final Map<String, NDArray> trainable = new LinkedHashMap<>();
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    long steps;
    private long pendingTokens;

    TrainingRun(DecoderModel model, NDManager manager, OptimizerSettings optimizer, Random random) {
        this.model = model;
        this.manager = manager;
        this.optimizer = optimizer == null ? new OptimizerSettings() : optimizer;
        this.random = random;
    }

    /** Makes a weight trainable and gives it zeroed AdamW moments. */
    void train(String name, NDArray weight) {
        weight.setRequiresGradient(true);
        trainable.put(name, weight);
        firstMoment.put(name, manager.zeros(weight.getShape()));
        secondMoment.put(name, manager.zeros(weight.getShape()));
    }

    /** What the forward pass applies besides the base weights (adapters built from the trainable weights). */
    abstract ActiveAdapters adapters(NDManager step);

    StepResult step(TrainingBatch batch) throws ModelException {
        return loss(batch, true);
    }

    /** The loss of a batch under the current weights, without gradients (for validation). */
    StepResult evaluate(TrainingBatch batch) throws ModelException {
        return loss(batch, false);
    }

    private StepResult loss(TrainingBatch batch, boolean train) throws ModelException {
        int rows = check(batch);
        int shared = sharedPrefix(batch);
        int longest = 0;
        for (int[] s : batch.tokenIds) {
            longest = Math.max(longest, s.length - shared);
        }
        int[][] ids = new int[rows][longest];
        boolean[][] valid = new boolean[rows][longest];
        // Logits only where a target is predicted: the head costs hidden x vocab per position, and
        // classification answers are a few tokens after a long prompt.
        long[] positions = new long[rows * longest];
        long[] targets = new long[rows * longest];
        int tokens = 0;
        for (int b = 0; b < rows; b++) {
            int[] s = batch.tokenIds[b];
            System.arraycopy(s, shared, ids[b], 0, s.length - shared);
            for (int t = shared; t < s.length; t++) {
                valid[b][t - shared] = true;
                if (t + 1 < s.length && batch.lossMask[b][t + 1]) {
                    positions[tokens] = (long) b * longest + t - shared;
                    targets[tokens] = s[t + 1];
                    tokens++;
                }
            }
        }
        if (tokens == 0) {
            throw new ModelException("training batch has no target tokens (loss mask is false everywhere after the "
                    + "first token)");
        }
        double loss;
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            try (GradientCollector collector = train ? Engine.getEngine(EngineExecutor.ENGINE).newGradientCollector()
                    : null) {
                ActiveAdapters active = adapters(step);
                try (KvCache start = KvCache.start(model.config.layers, shared > 0 ? 1 : rows, active.prefix());
                        KvCache cache = shared > 0 ? continueShared(step, batch.tokenIds[0], shared, start, active, rows)
                                : start) {
                    NDArray hidden = model.forward(step, ids, valid, cache, active);
                    NDArray at = step.create(java.util.Arrays.copyOf(positions, tokens));
                    NDArray predicting = hidden.reshape(-1, model.config.hiddenSize).get(new NDIndex("{}", at));
                    NDArray logProbs = model.logits(predicting).logSoftmax(1);
                    NDArray target = step.create(java.util.Arrays.copyOf(targets, tokens), new Shape(tokens, 1));
                    NDArray sum = logProbs.gather(target, 1).sum().neg();
                    if (collector != null) {
                        collector.backward(sum);
                    }
                    loss = sum.getFloat() / tokens;
                }
            }
        }
        if (train) {
            pendingTokens += tokens;
        }
        StepResult r = new StepResult();
        r.loss = loss;
        r.tokens = tokens;
        return r;
    }

    /** Runs the shared tokens once and repeats their keys and values into one cache row per sequence. */
    private KvCache continueShared(NDManager step, int[] row, int shared, KvCache one, ActiveAdapters active, int rows) {
        model.forward(step, new int[][] {java.util.Arrays.copyOf(row, shared)}, null, one, active);
        return one.fork(rows);
    }

    private static int sharedPrefix(TrainingBatch batch) throws ModelException {
        int shared = batch.sharedPrefix;
        if (shared == 0) {
            return 0;
        }
        int[] first = batch.tokenIds[0];
        for (int b = 0; b < batch.tokenIds.length; b++) {
            int[] s = batch.tokenIds[b];
            if (shared < 0 || shared >= s.length) {
                throw new ModelException("training batch row " + b + ": shared prefix of " + shared
                        + " tokens leaves nothing of its " + s.length + " tokens");
            }
            for (int t = 0; t <= shared; t++) {
                if (t < shared && s[t] != first[t]) {
                    throw new ModelException("training batch row " + b + " differs from row 0 at token " + t
                            + ", inside the shared prefix of " + shared);
                }
                if (batch.lossMask[b][t]) {
                    throw new ModelException("training batch row " + b + ": target at token " + t
                            + ", inside or right after the shared prefix of " + shared);
                }
            }
        }
        return shared;
    }

    private int check(TrainingBatch batch) throws ModelException {
        if (batch == null || batch.tokenIds == null || batch.lossMask == null
                || batch.tokenIds.length != batch.lossMask.length || batch.tokenIds.length == 0) {
            throw new ModelException("training batch needs as many loss-mask rows as token rows, at least one");
        }
        for (int b = 0; b < batch.tokenIds.length; b++) {
            int[] s = batch.tokenIds[b];
            if (s == null || batch.lossMask[b] == null || s.length != batch.lossMask[b].length) {
                throw new ModelException("training batch row " + b + ": loss mask length differs from token count");
            }
            if (s.length + prefixTokens() > model.config.maxPositions) {
                throw new ModelException("training batch row " + b + ": " + s.length + " tokens exceed the context of "
                        + model.config.maxPositions);
            }
            for (int t : s) {
                if (t < 0 || t >= model.config.vocabSize) {
                    throw new ModelException("training batch row " + b + ": token id " + t
                            + " outside the vocabulary of " + model.config.vocabSize);
                }
            }
        }
        return batch.tokenIds.length;
    }

    int prefixTokens() {
        return 0;
    }

    UpdateResult update(double learningRate) throws ModelException {
        if (pendingTokens == 0) {
            throw new ModelException("no gradients to apply: run step() before update()");
        }
        OptimizerSettings o = optimizer;
        double norm;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> grads = new ArrayList<>();
            double squares = 0;
            for (NDArray w : trainable.values()) {
                NDArray g = w.getGradient().div((float) pendingTokens);
                grads.add(g);
                squares += g.square().sum().getFloat();
            }
            norm = Math.sqrt(squares);
            float clip = o.maxGradientNorm > 0 && norm > o.maxGradientNorm ? (float) (o.maxGradientNorm / (norm + 1e-6))
                    : 1f;
            steps++;
            double correction1 = 1 - Math.pow(o.beta1, steps);
            double correction2 = 1 - Math.pow(o.beta2, steps);
            float stepSize = (float) (learningRate / correction1);
            float sqrtCorrection2 = (float) Math.sqrt(correction2);
            int i = 0;
            for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
                NDArray w = e.getValue();
                NDArray g = clip == 1f ? grads.get(i++) : grads.get(i++).mul(clip);
                NDArray m = firstMoment.get(e.getKey());
                NDArray v = secondMoment.get(e.getKey());
                m.muli((float) o.beta1).addi(g.mul((float) (1 - o.beta1)));
                v.muli((float) o.beta2).addi(g.square().mul((float) (1 - o.beta2)));
                if (o.weightDecay != 0) {
                    w.muli((float) (1 - learningRate * o.weightDecay));
                }
                NDArray denom = v.sqrt().div(sqrtCorrection2).add((float) o.epsilon);
                w.subi(m.div(denom).mul(stepSize));
                NDArray grad = w.getGradient();
                grad.subi(grad);
            }
        }
        UpdateResult r = new UpdateResult();
        r.step = steps;
        r.gradientNorm = norm;
        r.learningRate = learningRate;
        r.tokens = pendingTokens;
        pendingTokens = 0;
        return r;
    }

    /** Next-token logits [positions][vocab] of one sequence with the weights as they are now, without gradients. */
    float[][] logits(int[] ids) {
        int vocab = model.config.vocabSize;
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            ActiveAdapters active = adapters(step);
            try (KvCache cache = KvCache.start(model.config.layers, 1, active.prefix())) {
                float[] flat = model.logits(model.forward(step, new int[][] {ids}, null, cache, active)).toFloatArray();
                float[][] rows = new float[ids.length][];
                for (int t = 0; t < ids.length; t++) {
                    rows[t] = java.util.Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
                }
                return rows;
            }
        }
    }

    long trainableParameters() {
        long n = 0;
        for (NDArray w : trainable.values()) {
            n += w.size();
        }
        return n;
    }

    /** Values of a trainable weight, for saving and tests. */
    float[] values(String name) {
        return trainable.get(name).toFloatArray();
    }

    /** Writes {@code files} into a directory beside {@code target}, then renames it into place. */
    static void writeAtomically(Path target, Map<String, byte[]> files) throws ModelException {
        Path parent = target.toAbsolutePath().getParent();
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + System.nanoTime());
        Path old = parent.resolve("." + target.getFileName() + ".old-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
            boolean replacing = Files.exists(target);
            if (replacing) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            if (replacing) {
                deleteTree(old);
            }
        } catch (IOException e) {
            deleteTree(tmp);
            throw new ModelException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The run's kind and shape, saved with the state so a restore can check it matches. */
    abstract ObjectNode describe();

    void saveState(Path directory) throws ModelException {
        if (pendingTokens != 0) {
            throw new ModelException(directory + ": gradients are accumulated but not applied; call update() first");
        }
        SafetensorsWriter weights = new SafetensorsWriter(TensorType.F32);
        SafetensorsWriter moments = new SafetensorsWriter(TensorType.F32);
        for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
            long[] shape = e.getValue().getShape().getShape();
            weights.add(e.getKey(), e.getValue().toFloatArray(), shape);
            moments.add("m." + e.getKey(), firstMoment.get(e.getKey()).toFloatArray(), shape);
            moments.add("v." + e.getKey(), secondMoment.get(e.getKey()).toFloatArray(), shape);
        }
        ObjectNode state = ModelConfig.JSON.createObjectNode();
        state.put("step", steps);
        state.put("random", serialize(random));
        state.set("run", describe());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("trainable.safetensors", weights.toBytes());
        files.put("optimizer.safetensors", moments.toBytes());
        files.put("state.json", state.toPrettyString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        writeAtomically(directory, files);
    }

    void restoreState(Path directory) throws ModelException {
        JsonNode state;
        try {
            state = ModelConfig.JSON.readTree(Files.readAllBytes(directory.resolve("state.json")));
        } catch (IOException e) {
            throw new ModelException(directory + ": cannot read state.json: " + e.getMessage(), e);
        }
        if (!state.path("run").equals(describe())) {
            throw new ModelException(directory + ": saved for " + state.path("run") + ", this session is " + describe());
        }
        Map<String, SafetensorsFile.Tensor> weights = SafetensorsFile.open(directory.resolve("trainable.safetensors"))
                .tensors();
        Map<String, SafetensorsFile.Tensor> moments = SafetensorsFile.open(directory.resolve("optimizer.safetensors"))
                .tensors();
        for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
            String name = e.getKey();
            copyInto(directory, weights.get(name), e.getValue(), name);
            copyInto(directory, moments.get("m." + name), firstMoment.get(name), "m." + name);
            copyInto(directory, moments.get("v." + name), secondMoment.get(name), "v." + name);
        }
        steps = state.path("step").asLong();
        random = deserialize(directory, state.path("random").asText());
        pendingTokens = 0;
    }

    private static void copyInto(Path dir, SafetensorsFile.Tensor t, NDArray into, String name) throws ModelException {
        if (t == null || !java.util.Arrays.equals(t.shape(), into.getShape().getShape())) {
            throw new ModelException(dir + ": tensor " + name + (t == null ? " is missing" : " has shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected " + into.getShape()));
        }
        into.set(FloatBuffer.wrap(t.toFloats()));
    }

    private static String serialize(Random r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static Random deserialize(Path dir, String text) throws ModelException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(text)))) {
            return (Random) in.readObject();
        } catch (IOException | ClassNotFoundException | IllegalArgumentException e) {
            throw new ModelException(dir + ": state.json: bad random state: " + e.getMessage(), e);
        }
    }

    NDArray create(float[] values, long... shape) {
        return manager.create(FloatBuffer.wrap(values), new Shape(shape)).toType(DataType.FLOAT32, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}

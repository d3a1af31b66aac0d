package org.trafficllm.model.impl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.AdapterInfo;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.BaseModelInfo;
import org.trafficllm.api.model.ClassificationRequest;
import org.trafficllm.api.model.ClassificationResult;
import org.trafficllm.api.model.GenerationRequest;
import org.trafficllm.api.model.GenerationResult;
import org.trafficllm.api.model.ModelException;

/**
 * A base model loaded from a Hugging Face model directory, with its resident
 * adapters. Requests run on the engine executor; generation batches up to
 * {@link #MAX_BATCH} prompts that name the same adapter, left-padded, through one
 * KV cache.
 */
final class LoadedBaseModel implements BaseModel, AutoCloseable {
    static final int MAX_BATCH = 32;

    private final String name;
    private final String version;
    private final EngineExecutor engine;
    final DecoderModel model;
    private final TextTokenizer tokenizer;
    private final Map<String, Adapter> adapters = new ConcurrentHashMap<>();
    /** Forward passes read the weights; merging writes them. */
    private final ReentrantReadWriteLock weights = new ReentrantReadWriteLock();
    private volatile LoraAdapter merged;
    private final AtomicBoolean closed = new AtomicBoolean();

    LoadedBaseModel(String name, String version, EngineExecutor engine, DecoderModel model,
            TextTokenizer tokenizer) {
        this.name = name;
        this.version = version;
        this.engine = engine;
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Loads {@code config.json}, the safetensors weights and {@code tokenizer.json} of a model directory. */
    static LoadedBaseModel load(String name, String version, Path directory, EngineExecutor engine)
            throws ModelException {
        return engine.call(() -> {
            Path configFile = directory.resolve("config.json");
            if (!Files.isRegularFile(configFile)) {
                throw new ModelException(directory + ": config.json is missing");
            }
            ModelConfig config = ModelConfig.parse(configFile.toString(), Files.readAllBytes(configFile));
            Path tokenizerFile = directory.resolve("tokenizer.json");
            if (!Files.isRegularFile(tokenizerFile)) {
                throw new ModelException(directory + ": tokenizer.json is missing");
            }
            NDManager root = EngineExecutor.newRootManager();
            try {
                DecoderModel model = DecoderModel.load(config, Checkpoint.open(directory), root);
                return new LoadedBaseModel(name, version, engine, model, TextTokenizer.open(tokenizerFile));
            } catch (ModelException | RuntimeException e) {
                root.close();
                throw e;
            }
        });
    }

    /** The adapter registered under an id now, or null. */
    Adapter resident(String id) {
        return adapters.get(id);
    }

    LoraAdapter merged() {
        return merged;
    }

    EngineExecutor engine() {
        return engine;
    }

    String name() {
        return name;
    }

    String version() {
        return version;
    }

    @Override
    public BaseModelInfo info() {
        ModelConfig c = model.config;
        BaseModelInfo i = new BaseModelInfo();
        i.name = name;
        i.version = version;
        i.arch = c.arch.id;
        i.parameterCount = model.parameterCount();
        i.memoryBytes = i.parameterCount * Float.BYTES;
        i.vocabSize = c.vocabSize;
        i.maxContext = c.maxPositions;
        i.hiddenSize = c.hiddenSize;
        i.layers = c.layers;
        i.eosTokenId = c.eosTokenId;
        i.adapters = new ArrayList<>(adapters.keySet());
        i.adapters.sort(null);
        return i;
    }

    @Override
    public int[] encode(String text) throws ModelException {
        if (text == null) {
            throw new ModelException("base model " + name + ": text to encode is null");
        }
        try {
            return tokenizer.encode(text);
        } catch (IllegalStateException e) {
            throw new ModelException("base model " + name + " " + version + " has been unloaded", e);
        }
    }

    @Override
    public String decode(int[] tokenIds) {
        return tokenizer.decode(tokenIds);
    }

    @Override
    public AdapterInfo loadAdapter(String id, AdapterFiles files) throws ModelException {
        if (id == null || id.isBlank()) {
            throw new ModelException("base model " + name + ": adapter id is empty");
        }
        if (closed.get()) {
            throw new ModelException("base model " + name + " " + version + " has been unloaded");
        }
        Adapter loaded = engine.call(() -> AdapterLoader.load(id, files, model, model.manager));
        Adapter old = adapters.put(id, loaded);
        if (old != null) {
            retire(old);
        }
        return describe(loaded);
    }

    @Override
    public boolean unloadAdapter(String id) {
        Adapter old = id == null ? null : adapters.remove(id);
        if (old == null) {
            return false;
        }
        retire(old);
        return true;
    }

    private void retire(Adapter old) {
        try {
            engine.call(() -> {
                if (old == merged) {
                    unmergeOnEngine();
                }
                old.release();
                return null;
            });
        } catch (ModelException e) {
            throw new IllegalStateException("base model " + name + ": releasing adapter '" + old.id + "' failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<AdapterInfo> adapters() {
        List<AdapterInfo> list = new ArrayList<>();
        for (Adapter a : adapters.values()) {
            list.add(describe(a));
        }
        list.sort((x, y) -> x.id.compareTo(y.id));
        return list;
    }

    private AdapterInfo describe(Adapter a) {
        AdapterInfo i = new AdapterInfo();
        i.id = a.id;
        i.peftType = a.config.peftType;
        i.parameterCount = a.parameterCount();
        i.memoryBytes = i.parameterCount * Float.BYTES;
        i.rank = a.rank();
        i.merged = a == merged;
        return i;
    }

    @Override
    public void mergeAdapter(String id) throws ModelException {
        Adapter a = acquire(id);
        try {
            if (!(a instanceof LoraAdapter lora)) {
                throw new ModelException("base model " + name + ": adapter '" + id + "' is not LoRA; only LoRA merges");
            }
            engine.call(() -> {
                Lock w = weights.writeLock();
                w.lock();
                try {
                    if (merged != lora) {
                        unmergeOnEngine();
                        addProducts(lora, 1f);
                        merged = lora;
                    }
                } finally {
                    w.unlock();
                }
                return null;
            });
        } finally {
            a.release();
        }
    }

    @Override
    public void unmergeAdapter() throws ModelException {
        engine.call(() -> {
            unmergeOnEngine();
            return null;
        });
    }

    private void unmergeOnEngine() {
        Lock w = weights.writeLock();
        w.lock();
        try {
            if (merged != null) {
                addProducts(merged, -1f);
                merged = null;
            }
        } finally {
            w.unlock();
        }
    }

    private static void addProducts(LoraAdapter lora, float sign) {
        for (LoraAdapter.Pair p : lora.pairs) {
            if (p != null) {
                try (NDArray delta = p.product()) {
                    if (sign > 0) {
                        p.target.weight.addi(delta);
                    } else {
                        p.target.weight.subi(delta);
                    }
                }
            }
        }
    }

    /** Takes a reference on the named adapter (null id: none); fails once the model is closed. */
    private Adapter acquire(String id) throws ModelException {
        if (closed.get()) {
            throw new ModelException("base model " + name + " " + version + " has been unloaded");
        }
        if (id == null) {
            return null;
        }
        while (true) {
            Adapter a = adapters.get(id);
            if (a == null) {
                throw new ModelException("base model " + name + ": no adapter '" + id + "' is loaded");
            }
            if (a.acquire()) {
                return a;
            }
        }
    }

    private ActiveAdapters active(Adapter a) {
        LoraAdapter requested = a instanceof LoraAdapter l ? l : null;
        LoraAdapter m = merged;
        return new ActiveAdapters(requested == m ? null : requested, requested == m ? null : m,
                a instanceof PrefixAdapter p ? p : null);
    }

    private int[] promptIds(String prompt, int[] ids) throws ModelException {
        int[] tokens = ids != null ? ids : prompt != null ? encode(prompt) : null;
        if (tokens == null || tokens.length == 0) {
            throw new ModelException("base model " + name + ": the prompt is empty");
        }
        for (int t : tokens) {
            if (t < 0 || t >= model.config.vocabSize) {
                throw new ModelException("base model " + name + ": token id " + t + " is outside the vocabulary of "
                        + model.config.vocabSize);
            }
        }
        return tokens;
    }

    private void checkContext(int length, Adapter a) throws ModelException {
        int prefix = a instanceof PrefixAdapter p ? p.virtualTokens : 0;
        if (length + prefix > model.config.maxPositions) {
            throw new ModelException("base model " + name + ": " + length + " prompt tokens"
                    + (prefix > 0 ? " + " + prefix + " prefix tokens" : "") + " exceed the context of "
                    + model.config.maxPositions);
        }
    }

    @Override
    public float[][] logits(String adapterId, int[] tokenIds) throws ModelException {
        int[] ids = promptIds(null, tokenIds);
        Adapter a = acquire(adapterId);
        try {
            checkContext(ids.length, a);
            return engine.call(() -> readLocked(() -> {
                int vocab = model.config.vocabSize;
                try (NDManager request = model.manager.newSubManager();
                        KvCache cache = KvCache.start(model.config.layers, 1, active(a).prefix())) {
                    NDArray hidden = model.forward(request, new int[][] {ids}, null, cache, active(a));
                    float[] flat = model.logits(hidden).toFloatArray();
                    float[][] rows = new float[ids.length][];
                    for (int t = 0; t < ids.length; t++) {
                        rows[t] = Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
                    }
                    return rows;
                }
            }));
        } finally {
            release(a);
        }
    }

    @Override
    public GenerationResult generate(GenerationRequest request) throws ModelException {
        return generateBatch(List.of(request)).get(0);
    }

    @Override
    public List<GenerationResult> generateBatch(List<GenerationRequest> requests) throws ModelException {
        GenerationResult[] results = new GenerationResult[requests.size()];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            groups.computeIfAbsent(String.valueOf(requests.get(i).adapterId), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : groups.values()) {
            Adapter a = acquire(requests.get(group.get(0)).adapterId);
            try {
                for (int from = 0; from < group.size(); from += MAX_BATCH) {
                    List<Integer> chunk = group.subList(from, Math.min(group.size(), from + MAX_BATCH));
                    List<GenerationRequest> batch = new ArrayList<>();
                    int[][] prompts = new int[chunk.size()][];
                    for (int k = 0; k < chunk.size(); k++) {
                        GenerationRequest r = requests.get(chunk.get(k));
                        batch.add(r);
                        prompts[k] = promptIds(r.prompt, r.promptTokenIds);
                        checkContext(prompts[k].length, a);
                    }
                    List<GenerationResult> out = engine.call(() -> readLocked(() -> generateOnEngine(batch, prompts, a)));
                    for (int k = 0; k < chunk.size(); k++) {
                        results[chunk.get(k)] = out.get(k);
                    }
                }
            } finally {
                release(a);
            }
        }
        return Arrays.asList(results);
    }

    private List<GenerationResult> generateOnEngine(List<GenerationRequest> requests, int[][] prompts, Adapter a) {
        ModelConfig c = model.config;
        int batch = prompts.length;
        int longest = 0;
        for (int[] p : prompts) {
            longest = Math.max(longest, p.length);
        }
        int pad = Math.max(c.padTokenId, 0);
        int[][] ids = new int[batch][longest];
        boolean[][] valid = new boolean[batch][longest];
        TokenChooser[] choosers = new TokenChooser[batch];
        List<Set<Integer>> stops = new ArrayList<>();
        List<List<Integer>> produced = new ArrayList<>();
        String[] finish = new String[batch];
        for (int b = 0; b < batch; b++) {
            int offset = longest - prompts[b].length;
            Arrays.fill(ids[b], pad);
            System.arraycopy(prompts[b], 0, ids[b], offset, prompts[b].length);
            Arrays.fill(valid[b], offset, longest, true);
            GenerationRequest r = requests.get(b);
            choosers[b] = new TokenChooser(r.temperature, r.topP, r.seed);
            Set<Integer> stop = new HashSet<>();
            if (r.stopTokenIds != null) {
                stop.addAll(r.stopTokenIds);
            } else {
                for (int eos : c.eosTokenIds) {
                    stop.add(eos);
                }
            }
            stops.add(stop);
            produced.add(new ArrayList<>());
            if (r.maxNewTokens <= 0) {
                finish[b] = "length";
            }
        }
        ActiveAdapters active = active(a);
        int vocab = c.vocabSize;
        try (NDManager request = model.manager.newSubManager();
                KvCache cache = KvCache.start(c.layers, batch, active.prefix())) {
            float[] logits = lastLogits(model.forward(request, ids, valid, cache, active));
            while (true) {
                int[][] next = new int[batch][1];
                boolean[][] nextValid = new boolean[batch][1];
                boolean running = false;
                for (int b = 0; b < batch; b++) {
                    next[b][0] = pad;
                    if (finish[b] != null) {
                        continue;
                    }
                    int token = choosers[b].choose(logits, b * vocab, vocab);
                    List<Integer> out = produced.get(b);
                    out.add(token);
                    if (stops.get(b).contains(token)) {
                        finish[b] = "stop";
                    } else if (out.size() >= requests.get(b).maxNewTokens) {
                        finish[b] = "length";
                    } else if (cache.nextPosition[b] >= c.maxPositions) {
                        finish[b] = "context";
                    } else {
                        next[b][0] = token;
                        nextValid[b][0] = true;
                        running = true;
                    }
                }
                if (!running) {
                    break;
                }
                logits = lastLogits(model.forward(request, next, nextValid, cache, active));
            }
        }
        List<GenerationResult> results = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            GenerationResult g = new GenerationResult();
            g.tokenIds = produced.get(b).stream().mapToInt(Integer::intValue).toArray();
            g.text = tokenizer.decode(g.tokenIds);
            g.promptTokens = prompts[b].length;
            g.finishReason = finish[b];
            results.add(g);
        }
        return results;
    }

    /** Logits of the last position of every row, flattened [B * vocab]; closes the hidden states. */
    private float[] lastLogits(NDArray hidden) {
        long t = hidden.getShape().get(1);
        try (hidden; NDArray last = hidden.get(":, " + (t - 1) + ", :"); NDArray logits = model.logits(last)) {
            return logits.toFloatArray();
        }
    }

    @Override
    public ClassificationResult classify(ClassificationRequest request) throws ModelException {
        return classifyBatch(List.of(request)).get(0);
    }

    /**
     * Requests with the same adapter and labels are scored together, as many prompts
     * per batch as keep prompts x labels within {@link #MAX_BATCH} x 2 rows.
     */
    @Override
    public List<ClassificationResult> classifyBatch(List<ClassificationRequest> requests) throws ModelException {
        ClassificationResult[] results = new ClassificationResult[requests.size()];
        Map<List<Object>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            ClassificationRequest r = requests.get(i);
            if (r.labels == null || r.labels.isEmpty()) {
                throw new ModelException("base model " + name + ": classification request " + i
                        + " needs at least one label");
            }
            groups.computeIfAbsent(List.of(String.valueOf(r.adapterId), List.copyOf(r.labels)), k -> new ArrayList<>())
                    .add(i);
        }
        for (List<Integer> group : groups.values()) {
            ClassificationRequest head = requests.get(group.get(0));
            int[][] sequences = new int[head.labels.size()][];
            int longest = 0;
            for (int i = 0; i < sequences.length; i++) {
                sequences[i] = encode(head.labels.get(i));
                longest = Math.max(longest, sequences[i].length);
            }
            LabelTrie trie = new LabelTrie(head.labels, sequences, model.config.eosTokenId);
            int perBatch = Math.max(1, 2 * MAX_BATCH / sequences.length);
            Adapter a = acquire(head.adapterId);
            try {
                for (int from = 0; from < group.size(); from += perBatch) {
                    List<Integer> chunk = group.subList(from, Math.min(group.size(), from + perBatch));
                    int[][] prompts = new int[chunk.size()][];
                    for (int k = 0; k < prompts.length; k++) {
                        ClassificationRequest r = requests.get(chunk.get(k));
                        prompts[k] = promptIds(r.prompt, r.promptTokenIds);
                        checkContext(prompts[k].length + longest, a);
                    }
                    double[][] p = engine.call(() -> readLocked(() -> labelProbabilities(prompts, trie, a)));
                    for (int k = 0; k < prompts.length; k++) {
                        results[chunk.get(k)] = result(head.labels, p[k]);
                    }
                }
            } finally {
                release(a);
            }
        }
        return Arrays.asList(results);
    }

    private static ClassificationResult result(List<String> labels, double[] p) {
        ClassificationResult r = new ClassificationResult();
        r.probabilities = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < p.length; i++) {
            r.probabilities.put(labels.get(i), p[i]);
            if (p[i] > p[best]) {
                best = i;
            }
        }
        r.label = labels.get(best);
        return r;
    }

    /**
     * Two forward passes: the prompts (left-padded), then every label's tokens for
     * every prompt at once over copies of the prompts' cache (right-padded, so row
     * {@code n * labels + i}, column j holds the logits after label i's first j + 1
     * tokens following prompt n).
     */
    private double[][] labelProbabilities(int[][] prompts, LabelTrie trie, Adapter a) {
        ActiveAdapters active = active(a);
        int vocab = model.config.vocabSize;
        int n = prompts.length;
        int labels = trie.size();
        int longestPrompt = 0;
        for (int[] p : prompts) {
            longestPrompt = Math.max(longestPrompt, p.length);
        }
        int[][] promptIds = new int[n][longestPrompt];
        boolean[][] promptValid = new boolean[n][longestPrompt];
        for (int b = 0; b < n; b++) {
            int offset = longestPrompt - prompts[b].length;
            System.arraycopy(prompts[b], 0, promptIds[b], offset, prompts[b].length);
            Arrays.fill(promptValid[b], offset, longestPrompt, true);
        }
        int longest = 0;
        for (int i = 0; i < labels; i++) {
            longest = Math.max(longest, trie.sequence(i).length);
        }
        int[][] ids = new int[n * labels][longest];
        boolean[][] valid = new boolean[n * labels][longest];
        for (int row = 0; row < n * labels; row++) {
            int[] s = trie.sequence(row % labels);
            System.arraycopy(s, 0, ids[row], 0, s.length);
            Arrays.fill(valid[row], 0, s.length, true);
        }
        try (NDManager request = model.manager.newSubManager();
                KvCache cache = KvCache.start(model.config.layers, n, active.prefix())) {
            float[] first = lastLogits(model.forward(request, promptIds, promptValid, cache, active));
            float[] rest;
            try (KvCache forked = cache.fork(labels); NDArray hidden = model.forward(request, ids, valid, forked, active);
                    NDArray logits = model.logits(hidden)) {
                rest = logits.toFloatArray();
            }
            int width = longest;
            double[][] out = new double[n][];
            for (int b = 0; b < n; b++) {
                int prompt = b;
                out[b] = trie.probabilities(new LabelTrie.StepLogits() {
                    @Override
                    public float[] logits(int label, int depth) {
                        return depth == 0 ? first : rest;
                    }

                    @Override
                    public int offset(int label, int depth) {
                        return depth == 0 ? prompt * vocab : ((prompt * labels + label) * width + depth - 1) * vocab;
                    }
                });
            }
            return out;
        }
    }

    private interface EngineWork<T> {
        T run() throws Exception;
    }

    private <T> T readLocked(EngineWork<T> work) throws Exception {
        Lock r = weights.readLock();
        r.lock();
        try {
            return work.run();
        } finally {
            r.unlock();
        }
    }

    private static void release(Adapter a) {
        if (a != null) {
            a.release();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            engine.call(() -> {
                for (Adapter a : adapters.values()) {
                    a.release();
                }
                adapters.clear();
                tokenizer.close();
                model.close();
                return null;
            });
        } catch (ModelException e) {
            throw new IllegalStateException("base model " + name + ": closing failed: " + e.getMessage(), e);
        }
    }
}

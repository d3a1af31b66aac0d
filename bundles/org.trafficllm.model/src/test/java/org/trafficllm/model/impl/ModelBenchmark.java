package org.trafficllm.model.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.GenerationRequest;

/**
 * Forward throughput, generation latency and resident memory of the model core,
 * against the engine's own large float32 matmul rate on this CPU. Run through the
 * {@code bench} profile; prints a Markdown section for BENCHMARKS.md.
 */
public final class ModelBenchmark {
    private static final StringBuilder REPORT = new StringBuilder();

    private ModelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args.length > 0 ? args[0] : "target/bench-model.md");
        try (EngineExecutor engine = new EngineExecutor(1)) {
            line("Load average at start (/proc/loadavg): %s", loadAverage());
            line("");
            memory(engine);
            line("");
            if (Boolean.getBoolean("bench.memoryOnly")) {
                Files.writeString(out, REPORT.toString());
                return;
            }
            LoadedBaseModel tiny = LoadedBaseModel.load("llama-tiny", "1", Fixtures.modelDir("llama-tiny",
                    Files.createTempDirectory("bench")), engine);
            LoadedBaseModel smol = engine.call(() -> smolShaped(engine));
            line("Forward passes, each row against the engine's own float32 matmul rate (square 1024/2048/4096, "
                    + "best of 5) measured right before and after it, so both see the same machine load:");
            line("");
            line("| model | batch x tokens | forward tokens/s | GFLOP/s | matmul ceiling GFLOP/s | %% of ceiling |");
            line("|---|---|---|---|---|---|");
            for (LoadedBaseModel m : List.of(tiny, smol)) {
                for (int batch : new int[] {1, 32}) {
                    double before = engine.call(ModelBenchmark::matmulCeiling);
                    double[] row = engine.call(() -> forwardThroughput(m, batch, 64));
                    double ceiling = Math.max(before, engine.call(ModelBenchmark::matmulCeiling));
                    line("| %s (%,d params) | %d x %d | %,.0f | %.1f | %.1f | %.0f%% |", m.name(),
                            m.model.parameterCount(), batch, 64, row[0], row[1], ceiling, 100 * row[1] / ceiling);
                }
            }
            line("");
            line("| model | batch | prompt + new tokens | generation wall time | ms per decoding step | new tokens/s |");
            line("|---|---|---|---|---|---|");
            for (LoadedBaseModel m : List.of(tiny, smol)) {
                for (int batch : new int[] {1, 32}) {
                    generationLatency(m, batch, 16, 16);
                }
            }
            line("");
            tiny.close();
            smol.close();
            line("Load average at end: %s", loadAverage());
        }
        Files.writeString(out, REPORT.toString());
        System.out.println("written to " + out.toAbsolutePath());
    }

    private static void line(String format, Object... args) {
        String s = String.format(format, args);
        System.out.println(s);
        REPORT.append(s).append('\n');
    }

    private static double matmulCeiling() {
        double best = 0;
        for (int n : new int[] {1024, 2048, 4096}) {
            try (NDManager m = EngineExecutor.newRootManager()) {
                NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
                NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
                a.matMul(b).close();
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    NDArray c = a.matMul(b);
                    c.getFloat(0, 0);
                    double s = (System.nanoTime() - t0) / 1e9;
                    c.close();
                    best = Math.max(best, 2.0 * n * n * n / s / 1e9);
                }
            }
        }
        return best;
    }

    /** A model shaped like SmolLM-135M (Llama, tied embeddings) with random weights made in memory. */
    static LoadedBaseModel smolShaped(EngineExecutor engine) throws Exception {
        String json = "{\"model_type\":\"llama\",\"hidden_size\":576,\"intermediate_size\":1536,"
                + "\"num_hidden_layers\":30,\"num_attention_heads\":9,\"num_key_value_heads\":3,\"vocab_size\":49152,"
                + "\"max_position_embeddings\":2048,\"rms_norm_eps\":1e-5,\"rope_theta\":10000.0,"
                + "\"tie_word_embeddings\":true,\"bos_token_id\":0,\"eos_token_id\":0,\"hidden_act\":\"silu\"}";
        ModelConfig c = ModelConfig.parse("smol-135m-shape", json.getBytes(StandardCharsets.UTF_8));
        Map<String, SafetensorsFile.Tensor> tensors = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        int h = c.hiddenSize;
        random(tensors, random, "model.embed_tokens.weight", c.vocabSize, h);
        for (int i = 0; i < c.layers; i++) {
            String p = "model.layers." + i + ".";
            ones(tensors, p + "input_layernorm.weight", h);
            ones(tensors, p + "post_attention_layernorm.weight", h);
            random(tensors, random, p + "self_attn.q_proj.weight", c.heads * c.headDim, h);
            random(tensors, random, p + "self_attn.k_proj.weight", c.kvDim(), h);
            random(tensors, random, p + "self_attn.v_proj.weight", c.kvDim(), h);
            random(tensors, random, p + "self_attn.o_proj.weight", h, c.heads * c.headDim);
            random(tensors, random, p + "mlp.gate_proj.weight", c.intermediateSize, h);
            random(tensors, random, p + "mlp.up_proj.weight", c.intermediateSize, h);
            random(tensors, random, p + "mlp.down_proj.weight", h, c.intermediateSize);
        }
        ones(tensors, "model.norm.weight", h);
        NDManager root = EngineExecutor.newRootManager();
        DecoderModel model = DecoderModel.load(c, new Checkpoint("random", tensors), root);
        return new LoadedBaseModel("smol-135m-shape", "1", engine, model, TextTokenizer.open(Fixtures.tokenizer()));
    }

    private static void random(Map<String, SafetensorsFile.Tensor> t, SplittableRandom r, String name, long... shape) {
        int n = (int) (shape.length == 1 ? shape[0] : shape[0] * shape[1]);
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) (r.nextDouble() * 0.08 - 0.04));
        }
        t.put(name, new SafetensorsFile.Tensor(name, TensorType.F32, shape, b.flip()));
    }

    private static void ones(Map<String, SafetensorsFile.Tensor> t, String name, long n) {
        ByteBuffer b = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(1f);
        }
        t.put(name, new SafetensorsFile.Tensor(name, TensorType.F32, new long[] {n}, b.flip()));
    }

    /** FLOPs of one forward pass: 2 per weight of every matmul (projections and head) per token, plus attention. */
    private static double flops(DecoderModel m, int batch, int tokens) {
        long matmulWeights = m.head.size();
        for (Projection p : m.projections) {
            matmulWeights += (long) p.in * p.out;
        }
        double attention = 4.0 * batch * m.config.layers * (double) tokens * tokens * m.config.heads * m.config.headDim;
        return 2.0 * matmulWeights * batch * tokens + attention;
    }

    /** Best-of-N forward pass: {tokens per second, GFLOP/s}. */
    private static double[] forwardThroughput(LoadedBaseModel lm, int batch, int tokens) {
        DecoderModel m = lm.model;
        int[][] ids = new int[batch][tokens];
        SplittableRandom r = new SplittableRandom(1);
        for (int[] row : ids) {
            for (int t = 0; t < tokens; t++) {
                row[t] = r.nextInt(384);
            }
        }
        int runs = batch == 1 ? 10 : 3;
        double best = Double.MAX_VALUE;
        for (int i = 0; i <= runs; i++) {
            try (NDManager request = m.manager.newSubManager();
                    KvCache cache = KvCache.start(m.config.layers, batch, null)) {
                long t0 = System.nanoTime();
                NDArray hidden = m.forward(request, ids, null, cache, ActiveAdapters.NONE);
                NDArray logits = m.logits(hidden);
                logits.getFloat(0, 0, 0);
                double s = (System.nanoTime() - t0) / 1e9;
                if (i > 0) {
                    best = Math.min(best, s);
                }
            }
        }
        return new double[] {batch * tokens / best, flops(m, batch, tokens) / best / 1e9};
    }

    private static void generationLatency(LoadedBaseModel m, int batch, int prompt, int newTokens) throws Exception {
        List<GenerationRequest> requests = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(2);
        for (int b = 0; b < batch; b++) {
            GenerationRequest g = new GenerationRequest();
            g.promptTokenIds = r.ints(prompt, 2, 384).toArray();
            g.maxNewTokens = newTokens;
            g.stopTokenIds = List.of();
            requests.add(g);
        }
        m.generateBatch(requests);
        long t0 = System.nanoTime();
        m.generateBatch(requests);
        double s = (System.nanoTime() - t0) / 1e9;
        line("| %s | %d | %d + %d | %.0f ms | %.1f | %,.0f |", m.name(), batch, prompt, newTokens, s * 1e3,
                s * 1e3 / newTokens, batch * newTokens / s);
    }

    private static long rssBytes() throws IOException {
        for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS");
    }

    /** Resident memory of one base plus 10 LoRA adapters (r = 8 on every projection). */
    private static void memory(EngineExecutor engine) throws Exception {
        warmUp(engine);
        System.gc();
        long before = rssBytes();
        LoadedBaseModel smol = engine.call(() -> smolShaped(engine));
        System.gc();
        long withBase = rssBytes();
        long baseBytes = smol.info().memoryBytes;
        long adapterBytes = 0;
        for (int i = 0; i < 10; i++) {
            adapterBytes += smol.loadAdapter("a" + i, AdapterFiles.of(loraFiles(smol.model, 8, i))).memoryBytes;
        }
        System.gc();
        long withAdapters = rssBytes();
        line("Memory (resident set growth in a fresh process, JVM heap pre-touched so only native memory shows), %s:",
                smol.name());
        line("");
        line("| what | own size | RSS growth | ratio |");
        line("|---|---|---|---|");
        line("| base model | %,d MB | %,d MB | %.2f |", baseBytes >> 20, (withBase - before) >> 20,
                (double) (withBase - before) / baseBytes);
        line("| + 10 LoRA adapters (r=8, all projections) | %,d MB | %,d MB | %.2f |", adapterBytes >> 20,
                (withAdapters - withBase) >> 20, (double) (withAdapters - withBase) / adapterBytes);
        line("| base + adapters | %,d MB | %,d MB | %.2f (budget 1.10) |", (baseBytes + adapterBytes) >> 20,
                (withAdapters - before) >> 20, (double) (withAdapters - before) / (baseBytes + adapterBytes));
        smol.close();
    }

    /**
     * Loads the engine's libraries and this code's classes with a tiny model and adapter, so the
     * measurement that follows sees only the memory of the weights themselves.
     */
    private static void warmUp(EngineExecutor engine) throws Exception {
        try (LoadedBaseModel tiny = LoadedBaseModel.load("warm-up", "1", Fixtures.modelDir("llama-tiny",
                Files.createTempDirectory("warm")), engine)) {
            tiny.loadAdapter("warm", AdapterFiles.of(loraFiles(tiny.model, 1, 0)));
            tiny.generate(new GenerationRequest("warm", "warm up", 4));
        }
    }

    static String loadAverage() throws IOException {
        return Files.readString(Paths.get("/proc/loadavg")).trim();
    }

    static Map<String, byte[]> loraFiles(DecoderModel m, int r, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SafetensorsWriter w = new SafetensorsWriter(TensorType.F32);
        for (Projection p : m.projections) {
            float[] a = new float[r * p.in];
            float[] b = new float[p.out * r];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
            }
            w.add("base_model.model." + p.module + ".lora_A.weight", a, r, p.in);
            w.add("base_model.model." + p.module + ".lora_B.weight", b, p.out, r);
        }
        String config = "{\"peft_type\":\"LORA\",\"r\":" + r + ",\"lora_alpha\":16,\"target_modules\":[\"q_proj\","
                + "\"k_proj\",\"v_proj\",\"o_proj\",\"gate_proj\",\"up_proj\",\"down_proj\"],\"task_type\":\"CAUSAL_LM\"}";
        return Map.of("adapter_config.json", config.getBytes(StandardCharsets.UTF_8), "adapter_model.safetensors",
                w.toBytes());
    }
}

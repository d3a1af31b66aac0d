package org.trafficllm.model.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.AdapterInfo;
import org.trafficllm.api.model.ClassificationRequest;
import org.trafficllm.api.model.ClassificationResult;
import org.trafficllm.api.model.GenerationRequest;
import org.trafficllm.api.model.GenerationResult;
import org.trafficllm.api.model.ModelException;

class LoadedBaseModelTest {
    @TempDir
    static Path tmp;
    static EngineExecutor engine;
    static LoadedBaseModel llama;

    @BeforeAll
    static void load() throws Exception {
        engine = new EngineExecutor(1);
        llama = LoadedBaseModel.load("llama-tiny", "1.0.0", Fixtures.modelDir("llama-tiny", tmp), engine);
        llama.loadAdapter("lora", AdapterFiles.of(Fixtures.dir("llama-tiny-lora")));
        llama.loadAdapter("prefix", AdapterFiles.of(Fixtures.dir("llama-tiny-prefix")));
    }

    @AfterAll
    static void close() {
        llama.close();
        engine.close();
    }

    private static double maxLogitError(String adapter, String fixture) throws ModelException {
        double worst = 0;
        for (Fixtures.Case c : Fixtures.golden(fixture)) {
            worst = Math.max(worst, Fixtures.maxDiff(llama.logits(adapter, c.inputIds()), c.logits()));
        }
        return worst;
    }

    private static int[] greedy(String adapter, int[] prompt, int n) throws ModelException {
        GenerationRequest r = new GenerationRequest();
        r.adapterId = adapter;
        r.promptTokenIds = prompt;
        r.maxNewTokens = n;
        r.stopTokenIds = List.of();
        return llama.generate(r).tokenIds;
    }

    @Test
    void baseLoraAndPrefixLogitsMatchTheirGoldens() throws Exception {
        double base = maxLogitError(null, "llama-tiny");
        double lora = maxLogitError("lora", "llama-tiny-lora");
        double prefix = maxLogitError("prefix", "llama-tiny-prefix");
        System.out.printf("max |logit - golden|: llama-tiny %.3g, llama-tiny-lora %.3g, llama-tiny-prefix %.3g%n", base,
                lora, prefix);
        assertThat(base).isLessThan(1e-4);
        assertThat(lora).isLessThan(1e-4);
        assertThat(prefix).isLessThan(1e-4);
    }

    @Test
    void greedyTokensMatchTheGoldensWithEveryAdapter() throws Exception {
        for (String[] run : new String[][] {{null, "llama-tiny"}, {"lora", "llama-tiny-lora"},
                {"prefix", "llama-tiny-prefix"}}) {
            for (Fixtures.Case c : Fixtures.golden(run[1])) {
                assertThat(greedy(run[0], c.inputIds(), 12)).as(run[1] + ": " + c.text()).containsExactly(c.greedy());
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"qwen2-tiny", "gpt2-tiny"})
    void otherArchitecturesGreedyTokensMatchTheirGoldens(String fixture) throws Exception {
        try (LoadedBaseModel m = LoadedBaseModel.load(fixture, "1", Fixtures.modelDir(fixture, tmp.resolve("greedy")),
                engine)) {
            for (Fixtures.Case c : Fixtures.golden(fixture)) {
                GenerationRequest r = new GenerationRequest();
                r.promptTokenIds = c.inputIds();
                r.maxNewTokens = 12;
                r.stopTokenIds = List.of();
                assertThat(m.generate(r).tokenIds).as(fixture + ": " + c.text()).containsExactly(c.greedy());
            }
        }
    }

    @Test
    void interleavedAdaptersEachGiveTheirOwnGolden() throws Exception {
        Fixtures.Case base = Fixtures.golden("llama-tiny").get(1);
        Fixtures.Case lora = Fixtures.golden("llama-tiny-lora").get(1);
        Fixtures.Case prefix = Fixtures.golden("llama-tiny-prefix").get(1);
        for (int round = 0; round < 3; round++) {
            assertThat(Fixtures.maxDiff(llama.logits("lora", lora.inputIds()), lora.logits())).isLessThan(1e-4);
            assertThat(Fixtures.maxDiff(llama.logits("prefix", prefix.inputIds()), prefix.logits())).isLessThan(1e-4);
            assertThat(Fixtures.maxDiff(llama.logits(null, base.inputIds()), base.logits())).isLessThan(1e-4);
        }
    }

    @Test
    void mergedLoraGivesItsGoldenAndLeavesOtherRequestsExact() throws Exception {
        Fixtures.Case base = Fixtures.golden("llama-tiny").get(0);
        Fixtures.Case lora = Fixtures.golden("llama-tiny-lora").get(0);
        Fixtures.Case prefix = Fixtures.golden("llama-tiny-prefix").get(0);
        llama.mergeAdapter("lora");
        try {
            assertThat(llama.adapters()).filteredOn(a -> a.id.equals("lora")).allMatch(a -> a.merged);
            assertThat(Fixtures.maxDiff(llama.logits("lora", lora.inputIds()), lora.logits())).isLessThan(1e-4);
            assertThat(Fixtures.maxDiff(llama.logits(null, base.inputIds()), base.logits())).isLessThan(1e-4);
            assertThat(Fixtures.maxDiff(llama.logits("prefix", prefix.inputIds()), prefix.logits())).isLessThan(1e-4);
        } finally {
            llama.unmergeAdapter();
        }
        assertThat(Fixtures.maxDiff(llama.logits(null, base.inputIds()), base.logits())).isLessThan(1e-4);
        assertThat(llama.adapters()).noneMatch(a -> a.merged);
    }

    @Test
    void cachedIncrementalDecodingEqualsFullRecompute() throws Exception {
        Fixtures.Case c = Fixtures.golden("llama-tiny-prefix").get(2);
        for (String adapter : new String[] {null, "lora", "prefix"}) {
            int[] generated = greedy(adapter, c.inputIds(), 10);
            int[] all = new int[c.inputIds().length + generated.length];
            System.arraycopy(c.inputIds(), 0, all, 0, c.inputIds().length);
            System.arraycopy(generated, 0, all, c.inputIds().length, generated.length);
            float[][] full = llama.logits(adapter, all);
            for (int k = 0; k < generated.length; k++) {
                float[] row = full[c.inputIds().length - 1 + k];
                assertThat(TokenChooser.argmax(row, 0, row.length)).as(adapter + " step " + k).isEqualTo(generated[k]);
            }
        }
    }

    @Test
    void batchedGenerationEqualsOneByOne() throws Exception {
        List<GenerationRequest> batch = new ArrayList<>();
        List<int[]> alone = new ArrayList<>();
        for (String adapter : new String[] {null, "lora", "prefix"}) {
            for (Fixtures.Case c : Fixtures.golden("llama-tiny")) {
                GenerationRequest r = new GenerationRequest();
                r.adapterId = adapter;
                r.promptTokenIds = c.inputIds();
                r.maxNewTokens = 8;
                r.stopTokenIds = List.of();
                batch.add(r);
                alone.add(greedy(adapter, c.inputIds(), 8));
            }
        }
        List<GenerationResult> together = llama.generateBatch(batch);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(together.get(i).tokenIds).as("request " + i).containsExactly(alone.get(i));
        }
    }

    @Test
    void paddedBatchLogitsEqualUnbatchedOnesWithLeftAndRightPadding() throws Exception {
        List<Fixtures.Case> cases = Fixtures.golden("llama-tiny");
        for (String adapter : new String[] {null, "lora", "prefix"}) {
            for (boolean left : new boolean[] {true, false}) {
                float[][][] batched = engine.call(() -> paddedLogits(adapter, cases, left));
                for (int b = 0; b < cases.size(); b++) {
                    float[][] alone = llama.logits(adapter, cases.get(b).inputIds());
                    assertThat(Fixtures.maxDiff(batched[b], alone)).as(adapter + (left ? " left" : " right") + " row " + b)
                            .isLessThan(1e-4);
                }
            }
        }
    }

    /** Logits of the real positions of every row of one padded batch. */
    private static float[][][] paddedLogits(String adapter, List<Fixtures.Case> cases, boolean left) throws Exception {
        DecoderModel m = llama.model;
        int longest = cases.stream().mapToInt(c -> c.inputIds().length).max().orElseThrow();
        int[][] ids = new int[cases.size()][longest];
        boolean[][] valid = new boolean[cases.size()][longest];
        for (int b = 0; b < cases.size(); b++) {
            int[] s = cases.get(b).inputIds();
            int offset = left ? longest - s.length : 0;
            java.util.Arrays.fill(ids[b], 1);
            System.arraycopy(s, 0, ids[b], offset, s.length);
            java.util.Arrays.fill(valid[b], offset, offset + s.length, true);
        }
        PrefixAdapter prefix = "prefix".equals(adapter) ? (PrefixAdapter) adapterNamed(adapter) : null;
        LoraAdapter lora = "lora".equals(adapter) ? (LoraAdapter) adapterNamed(adapter) : null;
        ActiveAdapters active = new ActiveAdapters(lora, null, prefix);
        int vocab = m.config.vocabSize;
        try (ai.djl.ndarray.NDManager request = m.manager.newSubManager();
                KvCache cache = KvCache.start(m.config.layers, cases.size(), prefix)) {
            float[] flat = m.logits(m.forward(request, ids, valid, cache, active)).toFloatArray();
            float[][][] out = new float[cases.size()][][];
            for (int b = 0; b < cases.size(); b++) {
                int n = cases.get(b).inputIds().length;
                int offset = left ? longest - n : 0;
                out[b] = new float[n][];
                for (int t = 0; t < n; t++) {
                    int at = (b * longest + offset + t) * vocab;
                    out[b][t] = java.util.Arrays.copyOfRange(flat, at, at + vocab);
                }
            }
            return out;
        }
    }

    private static Adapter adapterNamed(String id) {
        return llama.resident(id);
    }

    @Test
    void samplingIsReproducibleForASeedAndStopsAtStopTokens() throws Exception {
        GenerationRequest r = new GenerationRequest(null, "Classify the HTTP request", 20);
        r.temperature = 1.5;
        r.topP = 0.9;
        r.seed = 42;
        r.stopTokenIds = List.of();
        int[] first = llama.generate(r).tokenIds;
        assertThat(llama.generate(r).tokenIds).containsExactly(first);
        r.seed = 43;
        assertThat(llama.generate(r).tokenIds).isNotEqualTo(first);
        r.seed = 42;
        r.stopTokenIds = List.of(first[3]);
        GenerationResult stopped = llama.generate(r);
        assertThat(stopped.finishReason).isEqualTo("stop");
        int at = 0;
        while (first[at] != first[3]) {
            at++;
        }
        assertThat(stopped.tokenIds).hasSize(at + 1);
        assertThat(llama.generate(new GenerationRequest(null, "Classify", 5)).tokenIds).hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void classificationReturnsALabelAndAProbabilityForEveryLabel() throws Exception {
        List<String> labels = List.of("normal", "anomalous", "Neris botnet", "Neris");
        ClassificationRequest req = new ClassificationRequest("lora", "Classify the HTTP request as", labels);
        ClassificationResult r = llama.classify(req);
        assertThat(r.probabilities.keySet()).containsExactlyElementsOf(labels);
        assertThat(r.probabilities.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.probabilities.values()).allMatch(p -> p > 0);
        String best = r.probabilities.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
        assertThat(r.label).isEqualTo(best);
        assertThat(expectedProbability(req, "anomalous", labels)).isCloseTo(r.probabilities.get("anomalous"),
                org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void batchedClassificationEqualsOneByOne() throws Exception {
        List<String> labels = List.of("normal", "anomalous", "Neris botnet", "Neris");
        List<ClassificationRequest> requests = new ArrayList<>();
        for (String adapter : new String[] {null, "lora", "prefix"}) {
            for (Fixtures.Case c : Fixtures.golden("llama-tiny")) {
                requests.add(new ClassificationRequest(adapter, c.text(), labels));
            }
        }
        requests.add(new ClassificationRequest(null, "Is this malware?", List.of("yes", "no")));
        List<ClassificationResult> together = llama.classifyBatch(requests);
        for (int i = 0; i < requests.size(); i++) {
            ClassificationResult alone = llama.classify(requests.get(i));
            assertThat(together.get(i).label).as("request " + i).isEqualTo(alone.label);
            for (String l : alone.probabilities.keySet()) {
                assertThat(together.get(i).probabilities.get(l)).as("request " + i + " " + l)
                        .isCloseTo(alone.probabilities.get(l), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    /** The definition recomputed from full-sequence logits, independent of the trie and the cache fork. */
    private static double expectedProbability(ClassificationRequest req, String label, List<String> labels)
            throws ModelException {
        int[] prompt = llama.encode(req.prompt);
        Map<String, int[]> seqs = new HashMap<>();
        for (String l : labels) {
            seqs.put(l, llama.encode(l));
        }
        double[] unnormalised = new double[labels.size()];
        for (int li = 0; li < labels.size(); li++) {
            int[] s = seqs.get(labels.get(li));
            int[] all = new int[prompt.length + s.length];
            System.arraycopy(prompt, 0, all, 0, prompt.length);
            System.arraycopy(s, 0, all, prompt.length, s.length);
            float[][] logits = llama.logits(req.adapterId, all);
            double p = 1;
            for (int d = 0; d <= s.length; d++) {
                List<Integer> allowed = new ArrayList<>();
                boolean ends = false;
                for (int[] o : seqs.values()) {
                    boolean samePrefix = o.length >= d && java.util.Arrays.equals(o, 0, d, s, 0, d);
                    if (samePrefix && o.length > d && !allowed.contains(o[d])) {
                        allowed.add(o[d]);
                    }
                    ends |= samePrefix && o.length == d;
                }
                if (allowed.isEmpty()) {
                    break;
                }
                if (ends) {
                    allowed.add(llama.info().eosTokenId);
                }
                float[] row = logits[prompt.length - 1 + d];
                int chosen = d < s.length ? s[d] : llama.info().eosTokenId;
                double sum = 0;
                for (int t : allowed) {
                    sum += Math.exp(row[t]);
                }
                p *= Math.exp(row[chosen]) / sum;
            }
            unnormalised[li] = p;
        }
        double total = java.util.Arrays.stream(unnormalised).sum();
        return unnormalised[labels.indexOf(label)] / total;
    }

    @Test
    void badAdaptersFailClearlyAndRegisterNothing(@TempDir Path dir) throws Exception {
        int before = llama.adapters().size();
        assertThatThrownBy(() -> llama.loadAdapter("missing", AdapterFiles.of(dir)))
                .isInstanceOf(ModelException.class).hasMessageContaining("adapter_config.json is missing");
        byte[] config = Files.readAllBytes(Fixtures.dir("llama-tiny-lora").resolve("adapter_config.json"));
        byte[] weights = Files.readAllBytes(Fixtures.dir("llama-tiny-lora").resolve("adapter_model.safetensors"));
        Map<String, byte[]> unknownType = Map.of("adapter_config.json",
                new String(config, "UTF-8").replace("\"LORA\"", "\"IA3\"").getBytes("UTF-8"),
                "adapter_model.safetensors", weights);
        assertThatThrownBy(() -> llama.loadAdapter("ia3", AdapterFiles.of(unknownType)))
                .hasMessageContaining("peft_type 'IA3' is not supported");
        Path qwen = Fixtures.modelDir("qwen2-tiny", dir);
        assertThat(qwen).exists();
        Map<String, byte[]> prefixForOtherShape = Map.of("adapter_config.json",
                Files.readAllBytes(Fixtures.dir("llama-tiny-prefix").resolve("adapter_config.json")),
                "adapter_model.safetensors", SafetensorsFileTest.file(Map.of("prompt_embeddings",
                        new SafetensorsFileTest.Spec("F32", new long[] {8, 64}))));
        assertThatThrownBy(() -> llama.loadAdapter("prefix-bad", AdapterFiles.of(prefixForOtherShape)))
                .hasMessageContaining("prompt_embeddings has shape [8, 64]");
        Map<String, byte[]> wrongRank = Map.of("adapter_config.json", config, "adapter_model.safetensors",
                SafetensorsFileTest.file(Map.of(
                        "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                        new SafetensorsFileTest.Spec("F32", new long[] {4, 32}),
                        "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
                        new SafetensorsFileTest.Spec("F32", new long[] {64, 4}))));
        assertThatThrownBy(() -> llama.loadAdapter("lora-bad", AdapterFiles.of(wrongRank)))
                .isInstanceOf(ModelException.class).hasMessageContaining("lora-bad");
        assertThat(llama.adapters()).hasSize(before);
        assertThat(llama.adapters()).extracting(a -> a.id).doesNotContain("missing", "ia3", "prefix-bad", "lora-bad");
    }

    @Test
    void replacingAnAdapterKeepsTheIdAndSwitchesContent() throws Exception {
        AdapterInfo info = llama.loadAdapter("swap", AdapterFiles.of(Fixtures.dir("llama-tiny-lora")));
        assertThat(info.peftType).isEqualTo("LORA");
        assertThat(info.rank).isEqualTo(4);
        Fixtures.Case lora = Fixtures.golden("llama-tiny-lora").get(0);
        Fixtures.Case prefix = Fixtures.golden("llama-tiny-prefix").get(0);
        assertThat(Fixtures.maxDiff(llama.logits("swap", lora.inputIds()), lora.logits())).isLessThan(1e-4);
        llama.loadAdapter("swap", AdapterFiles.of(Fixtures.dir("llama-tiny-prefix")));
        assertThat(Fixtures.maxDiff(llama.logits("swap", prefix.inputIds()), prefix.logits())).isLessThan(1e-4);
        assertThat(llama.unloadAdapter("swap")).isTrue();
        assertThatThrownBy(() -> llama.logits("swap", prefix.inputIds())).hasMessageContaining("no adapter 'swap'");
    }
}

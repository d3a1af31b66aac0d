package org.trafficllm.tuning.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.model.ModelTrainingSpec;
import org.trafficllm.api.model.TrainingBatch;
import org.trafficllm.api.model.TrainingSession;
import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.dto.PreTokenization;
import org.trafficllm.api.tokenizer.dto.TextCorpus;
import org.trafficllm.api.tokenizer.dto.TokenizerComparison;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingResult;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.TuningListener;
import org.trafficllm.api.tuning.dto.PretrainingRequestDTO;
import org.trafficllm.api.tuning.dto.PretrainingResultDTO;
import org.trafficllm.api.tuning.dto.TokenizerRatioDTO;

/**
 * Pretraining of the small base model: the traffic tokenizer (a byte-level BPE on the
 * natural language, extended with traffic tokens), a fresh Llama-architecture model
 * trained on packed windows of every text (all tokens are targets), checkpointed and
 * resumable like an adapter run, written in Hugging Face layout with its model card.
 */
final class PretrainingJob {
    static final String EOS = "<|endoftext|>";
    static final String PAD = "<pad>";
    static final String PACKET = "<pck>";
    static final String KIND = "pretraining";

    private final TuningServices services;
    private final PretrainingRequestDTO request;
    private final CheckpointStore store;
    private final TuningListener listener;

    private CorpusTexts corpus;
    private Path tokenizer;
    private int vocabSize;
    private int eosId;
    private int padId;
    private final List<TokenizerRatioDTO> ratios = new ArrayList<>();
    private List<int[]> windows;
    private List<int[]> heldOutWindows;
    private long corpusTokens;
    private LearningRateSchedule schedule;

    private PretrainingJob(TuningServices services, PretrainingRequestDTO request, CheckpointStore store,
            TuningListener listener) {
        this.services = services;
        this.request = request;
        this.store = store;
        this.listener = listener;
    }

    static PretrainingResultDTO start(TuningServices services, PretrainingRequestDTO in, TuningListener listener)
            throws TuningException {
        PretrainingRequestDTO r = normalize(in);
        CheckpointStore store = new CheckpointStore(r.checkpoints != null && !r.checkpoints.isBlank()
                ? Paths.get(r.checkpoints) : Paths.get(r.output + ".checkpoints"));
        JobFiles.requireNoJob(store);
        PretrainingJob job = new PretrainingJob(services, r, store, listener);
        job.readCorpus();
        if (r.tokenizer != null && !r.tokenizer.isBlank()) {
            job.tokenizer = Paths.get(r.tokenizer);
            job.readTokenizer();
        }
        ObjectNode jobJson = DatasetFile.JSON.createObjectNode();
        jobJson.put("kind", KIND);
        jobJson.set("request", DatasetFile.JSON.valueToTree(r));
        store.writeJob(jobJson);
        job.prepareTokenizer();
        return job.run(null);
    }

    static PretrainingResultDTO resume(TuningServices services, Path dir, TuningListener listener)
            throws TuningException {
        CheckpointStore store = new CheckpointStore(dir);
        PretrainingRequestDTO r = JobFiles.request(store, KIND, PretrainingRequestDTO.class);
        PretrainingResultDTO done = JobFiles.finished(store, PretrainingResultDTO.class);
        if (done != null) {
            return done;
        }
        r.checkpoints = store.dir.toString();
        PretrainingJob j = new PretrainingJob(services, r, store, listener);
        j.readCorpus();
        j.prepareTokenizer();
        store.clean();
        return j.run(store.latest().orElse(null));
    }

    static PretrainingRequestDTO normalize(PretrainingRequestDTO in) throws TuningException {
        PretrainingRequestDTO r = JobFiles.copy(in, PretrainingRequestDTO.class);
        if (r.output == null || r.output.isBlank()) {
            throw new TuningException("no output directory");
        }
        if (r.datasets.isEmpty() && (r.instructions == null || r.instructions.isBlank())) {
            throw new TuningException("no corpus: give dataset train files and/or the instruction set");
        }
        for (int v : new int[] {r.hiddenSize, r.layers, r.heads, r.kvHeads, r.intermediateSize, r.maxContext,
                r.sequenceLength, r.batchSize, r.accumulation, r.maxSteps, r.checkpointEvery}) {
            if (v <= 0) {
                throw new TuningException("model sizes, sequence length, batch, steps and checkpoint interval must be "
                        + "positive");
            }
        }
        if (r.hiddenSize % r.heads != 0 || r.heads % r.kvHeads != 0 || (r.hiddenSize / r.heads) % 2 != 0) {
            throw new TuningException("hidden size " + r.hiddenSize + " must split into " + r.heads + " heads of even "
                    + "width, and the heads into " + r.kvHeads + " key/value groups");
        }
        if (r.sequenceLength + 1 > r.maxContext) {
            throw new TuningException("sequence length " + r.sequenceLength + " does not fit the context of "
                    + r.maxContext);
        }
        if (r.tokenizer == null && (r.naturalVocabSize < 300 || r.trafficTokens < 0)) {
            throw new TuningException("the natural-language vocabulary needs at least 300 tokens (256 bytes, specials, "
                    + "merges), is " + r.naturalVocabSize);
        }
        return r;
    }

    private void readCorpus() throws TuningException {
        List<Path> files = new ArrayList<>();
        request.datasets.forEach(f -> files.add(Paths.get(f)));
        corpus = CorpusTexts.read(files, services.format(), request.textsPerDataset, request.seed);
        if (request.instructions != null && !request.instructions.isBlank()) {
            corpus.add(Paths.get(request.instructions), services.format(), 0, request.seed);
        }
        if (corpus.natural().isEmpty() && request.tokenizer == null) {
            throw new TuningException("the corpus has no natural-language text to train the base tokenizer on (give "
                    + "the router's instruction set)");
        }
    }

    private void prepareTokenizer() throws TuningException {
        Path dir = store.dir.resolve("tokenizer");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TuningException(dir + ": cannot create: " + e.getMessage(), e);
        }
        if (request.tokenizer != null && !request.tokenizer.isBlank()) {
            tokenizer = Paths.get(request.tokenizer);
        } else {
            Path natural = dir.resolve("natural.json");
            Path traffic = dir.resolve("tokenizer.json");
            try {
                if (!Files.isRegularFile(traffic)) {
                    progress("tokenizer", "training the natural-language tokenizer on " + corpus.natural().size()
                            + " texts");
                    TokenizerTrainingRequest n = new TokenizerTrainingRequest();
                    n.corpus.texts = oneLineTexts(corpus.natural());
                    n.specialTokens = List.of(EOS, PAD);
                    n.targetVocabSize = request.naturalVocabSize;
                    n.output = natural;
                    services.tokenizerTrainer().train(n, null);
                    progress("tokenizer", "extending it with " + request.trafficTokens + " traffic tokens from "
                            + corpus.traffic().size() + " traffic texts");
                    TokenizerTrainingRequest t = new TokenizerTrainingRequest();
                    t.baseTokenizer = natural;
                    t.corpus.texts = oneLineTexts(corpus.traffic());
                    t.newTokens = request.trafficTokens;
                    t.addedTokens = List.of(PACKET);
                    t.preTokenization = PreTokenization.TRAFFIC;
                    t.hexChunk = request.hexChunk;
                    t.output = traffic;
                    TokenizerTrainingResult result = services.tokenizerTrainer().train(t, null);
                    progress("tokenizer", "traffic tokenizer: " + result.vocabSize + " tokens");
                }
                measure(natural, traffic);
            } catch (TokenizerException e) {
                throw new TuningException(e.getMessage(), e);
            }
            tokenizer = traffic;
        }
        readTokenizer();
    }

    private static Iterable<String> oneLineTexts(List<String> texts) {
        return () -> texts.stream().map(CorpusTexts::oneLine).iterator();
    }

    /** Base and extended tokens per text on the held-out files, per kind of traffic. */
    private void measure(Path natural, Path traffic) throws TuningException, TokenizerException {
        List<Path> files = new ArrayList<>();
        request.heldOut.forEach(f -> files.add(Paths.get(f)));
        CorpusTexts held = CorpusTexts.read(files, services.format(), request.textsPerDataset, request.seed + 7);
        for (Map.Entry<Path, Map<String, List<String>>> file : held.byFile.entrySet()) {
            for (Map.Entry<String, List<String>> kind : file.getValue().entrySet()) {
                if (kind.getKey().equals(CorpusTexts.NATURAL)) {
                    continue;
                }
                TextCorpus texts = new TextCorpus();
                texts.texts = oneLineTexts(kind.getValue());
                TokenizerComparison c = services.tokenizerMeter().compare(natural, traffic, texts, null);
                TokenizerRatioDTO ratio = new TokenizerRatioDTO();
                ratio.corpus = kind.getKey() + " (" + file.getKey().getFileName() + ")";
                ratio.texts = c.baseline.texts;
                ratio.baseTokensPerText = c.baseline.mean;
                ratio.trafficTokensPerText = c.candidate.mean;
                ratio.ratio = c.ratio;
                ratios.add(ratio);
                progress("tokenizer", String.format(Locale.ROOT, "%s: %.1f -> %.1f tokens per text (%.2fx fewer)",
                        ratio.corpus, ratio.baseTokensPerText, ratio.trafficTokensPerText, ratio.ratio));
            }
        }
    }

    /** Vocabulary size and special ids of the tokenizer file. */
    private void readTokenizer() throws TuningException {
        JsonNode json = CheckpointStore.readJson(tokenizer);
        int max = -1;
        Integer eos = null;
        Integer pad = null;
        JsonNode vocab = json.path("model").path("vocab");
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            max = Math.max(max, e.getValue().asInt());
        }
        for (JsonNode added : json.path("added_tokens")) {
            int id = added.path("id").asInt();
            max = Math.max(max, id);
            String content = added.path("content").asText();
            if (content.equals(EOS) || content.equals("</s>")) {
                eos = eos == null ? id : eos;
            }
            if (content.equals(PAD)) {
                pad = id;
            }
        }
        if (max < 0) {
            throw new TuningException(tokenizer + ": not a BPE tokenizer.json (model.vocab is empty)");
        }
        if (eos == null) {
            throw new TuningException(tokenizer + ": has no " + EOS + " (or </s>) token to end texts and answers with");
        }
        vocabSize = max + 1;
        eosId = eos;
        padId = pad == null ? eos : pad;
    }

    private String configJson() {
        ObjectNode c = DatasetFile.JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("hidden_size", request.hiddenSize);
        c.put("intermediate_size", request.intermediateSize);
        c.put("num_hidden_layers", request.layers);
        c.put("num_attention_heads", request.heads);
        c.put("num_key_value_heads", request.kvHeads);
        c.put("head_dim", request.hiddenSize / request.heads);
        c.put("hidden_act", "silu");
        c.put("max_position_embeddings", request.maxContext);
        c.put("initializer_range", 0.02);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 10000.0);
        c.put("attention_bias", false);
        c.put("mlp_bias", false);
        c.put("tie_word_embeddings", true);
        c.put("vocab_size", vocabSize);
        c.put("bos_token_id", eosId);
        c.put("eos_token_id", eosId);
        c.put("pad_token_id", padId);
        c.put("torch_dtype", "float32");
        return c.toString();
    }

    private PretrainingResultDTO run(Path checkpoint) throws TuningException {
        ModelTrainingSpec spec = new ModelTrainingSpec();
        spec.configJson = configJson();
        spec.tokenizerFile = tokenizer;
        spec.seed = request.seed;
        spec.optimizer = LearningRateSchedule.optimizer(request.schedule);
        try (TrainingSession session = services.training().trainModel(spec)) {
            tokenizeCorpus(session);
            BatchPlan plan = new BatchPlan(lengths(windows), request.batchSize, request.seed);
            schedule = new LearningRateSchedule(request.schedule, request.maxSteps);
            LoopState st = TrainingLoop.restore(session, checkpoint);
            RunProgress progress = new RunProgress(listener, request.maxSteps, st.step, st.elapsedMillis);
            TrainingLoop loop = new TrainingLoop(session, store, schedule, request.accumulation,
                    request.checkpointEvery, request.maxSteps, plan.batchesPerEpoch(), progress);
            progress.phase("train", st.step, loop.epoch(st), String.format(Locale.ROOT,
                    "pretraining %,d weights on %,d windows of %d tokens (%,d corpus tokens, %,d held out), %d steps%s",
                    session.trainableParameters(), windows.size(), request.sequenceLength, corpusTokens,
                    heldOutWindows.size(), request.maxSteps, checkpoint != null ? ", resumed at step " + st.step : ""),
                    null);
            loop.run(st, new TrainingLoop.Hooks() {
                @Override
                public TrainingBatch batch(long index) {
                    int[] indices = plan.batch(index);
                    int[][] ids = new int[indices.length][];
                    boolean[][] mask = new boolean[indices.length][];
                    for (int i = 0; i < indices.length; i++) {
                        ids[i] = windows.get(indices[i]);
                        mask[i] = new boolean[ids[i].length];
                        java.util.Arrays.fill(mask[i], 1, ids[i].length, true);
                    }
                    return new TrainingBatch(ids, mask);
                }

                @Override
                public void atInterval(LoopState s) {
                    // pretraining measures its held-out loss once, on the written model
                }

                @Override
                public void saveExtras(Path tmp) {
                    // the session state and the loop state are all a pretraining checkpoint needs
                }
            });
            return finish(session, st, progress, loop);
        } catch (ModelException e) {
            throw new TuningException(e.getMessage(), e);
        } catch (IOException e) {
            throw new TuningException(store.dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Encodes every text with the model's own tokenizer (through a base model opened
     * from the fresh model's files), each followed by EOS, in a seeded order, and cuts
     * the stream into windows; a seeded share of the windows is held out.
     */
    private void tokenizeCorpus(TrainingSession session) throws TuningException, ModelException, IOException {
        Path encoderDir = store.dir.resolve("encoder");
        CheckpointStore.deleteTree(encoderDir);
        session.saveModel(encoderDir, "float16");
        List<String> texts = new ArrayList<>(corpus.traffic());
        texts.addAll(corpus.natural());
        Random random = new Random(request.seed + 11);
        for (int i = texts.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            texts.set(i, texts.set(j, texts.get(i)));
        }
        progress("prepare", "tokenizing " + texts.size() + " texts");
        int length = request.sequenceLength;
        List<int[]> all = new ArrayList<>();
        int[] window = new int[length];
        int filled = 0;
        long count = 0;
        try (BaseModels.Lease lease = services.models().open(encoderDir.toString())) {
            BaseModel encoder = lease.model();
            for (String text : texts) {
                int[] ids = encoder.encode(text);
                count += ids.length + 1;
                for (int k = 0; k <= ids.length; k++) {
                    window[filled++] = k < ids.length ? ids[k] : eosId;
                    if (filled == length) {
                        all.add(window);
                        window = new int[length];
                        filled = 0;
                    }
                }
            }
        } finally {
            CheckpointStore.deleteTree(encoderDir);
        }
        corpusTokens = count;
        if (all.size() < 2) {
            throw new TuningException("the corpus makes " + all.size() + " windows of " + length + " tokens; too little "
                    + "text to pretrain on");
        }
        int held = (int) Math.min(all.size() / 2, Math.max(1, Math.round(all.size() * request.validationShare)));
        Random split = new Random(request.seed + 13);
        boolean[] out = new boolean[all.size()];
        for (int k = 0; k < held;) {
            int i = split.nextInt(all.size());
            if (!out[i]) {
                out[i] = true;
                k++;
            }
        }
        windows = new ArrayList<>();
        heldOutWindows = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (out[i] ? heldOutWindows : windows).add(all.get(i));
        }
    }

    private static int[] lengths(List<int[]> windows) {
        int[] l = new int[windows.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = windows.get(i).length;
        }
        return l;
    }

    private PretrainingResultDTO finish(TrainingSession session, LoopState st, RunProgress progress,
            TrainingLoop loop) throws TuningException, ModelException, IOException {
        Path out = Paths.get(request.output).toAbsolutePath();
        session.saveModel(out, request.dtype);
        ObjectNode generation = DatasetFile.JSON.createObjectNode();
        generation.put("bos_token_id", eosId);
        generation.put("eos_token_id", eosId);
        generation.put("pad_token_id", padId);
        CheckpointStore.writeJson(out.resolve("generation_config.json"), generation);
        progress.phase("test", st.step, loop.epoch(st), "validation loss on " + heldOutWindows.size() + " held-out windows",
                null);
        double validationLoss = validationLoss(out);
        PretrainingResultDTO result = new PretrainingResultDTO();
        result.output = out.toString();
        result.checkpoints = store.dir.toString();
        result.tokenizer = out.resolve("tokenizer.json").toString();
        result.parameters = session.trainableParameters();
        result.vocabSize = vocabSize;
        result.naturalVocabSize = request.tokenizer == null ? request.naturalVocabSize : 0;
        result.weightBytes = Files.size(out.resolve("model.safetensors"));
        result.tokenizerRatios = ratios;
        result.corpusTexts = corpus.size();
        result.corpusTokens = corpusTokens;
        result.steps = st.step;
        result.tokens = st.tokens;
        result.firstLoss = st.firstLoss;
        result.finalLoss = st.curve.isEmpty() ? Double.NaN : st.curve.get(st.curve.size() - 1)[1];
        result.validationLoss = validationLoss;
        result.lossCurve = st.curve;
        result.trainMillis = st.elapsedMillis;
        result.tokensPerSecond = st.elapsedMillis > 0 ? st.tokens * 1000.0 / st.elapsedMillis : 0;
        String card = BaseModelCard.write(request, result, corpus, windows.size(), heldOutWindows.size(),
                schedule.warmupSteps());
        CheckpointStore.writeAtomically(out.resolve("MODEL.md"), card.getBytes(StandardCharsets.UTF_8));
        CheckpointStore.writeJson(store.dir.resolve(CheckpointStore.RESULT), result);
        progress.phase("done", st.step, loop.epoch(st), String.format(Locale.ROOT,
                "base model in %s: %,d weights, %,d bytes, validation loss %.4f", out, result.parameters,
                result.weightBytes, validationLoss), null);
        return result;
    }

    /** Mean next-token cross-entropy of the written model on the held-out windows. */
    private double validationLoss(Path model) throws TuningException, ModelException {
        try (BaseModels.Lease lease = services.models().open(model.toString())) {
            double sum = 0;
            long n = 0;
            for (int[] w : heldOutWindows) {
                float[][] logits = lease.model().logits(null, w);
                for (int t = 0; t + 1 < w.length; t++) {
                    float[] row = logits[t];
                    double max = Double.NEGATIVE_INFINITY;
                    for (float v : row) {
                        max = Math.max(max, v);
                    }
                    double z = 0;
                    for (float v : row) {
                        z += Math.exp(v - max);
                    }
                    sum += max + Math.log(z) - row[w[t + 1]];
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }
    }

    private void progress(String phase, String message) {
        if (listener != null) {
            org.trafficllm.api.tuning.dto.TuningProgressDTO p = new org.trafficllm.api.tuning.dto.TuningProgressDTO();
            p.phase = phase;
            p.message = message;
            p.loss = Double.NaN;
            listener.progress(p);
        }
    }
}

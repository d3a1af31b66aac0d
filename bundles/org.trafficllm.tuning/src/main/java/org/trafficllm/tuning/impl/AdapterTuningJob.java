package org.trafficllm.tuning.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.dto.InstructionSetRequestDTO;
import org.trafficllm.api.dataset.dto.InstructionSetResultDTO;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;
import org.trafficllm.api.model.AdapterTrainingSpec;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.BaseModelInfo;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.model.TrainingBatch;
import org.trafficllm.api.model.TrainingSession;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.TuningListener;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.api.tuning.dto.TuningResultDTO;
import org.trafficllm.api.tuning.dto.ValidationDTO;

/**
 * One adapter training: reads and checks everything, tokenizes once, then runs the
 * loop (seeded length-bucketed batches, accumulation, scheduled AdamW updates),
 * validating and checkpointing every {@code checkpointEvery} updates, stops early
 * when validation stops improving, and writes the best adapter with its task
 * descriptor, test metrics and model card.
 */
final class AdapterTuningJob {
    static final String LORA = "LORA";
    static final String PREFIX = "PREFIX_TUNING";
    static final String KIND = "adapter training";
    /** Below this, sharing a batch's common first tokens saves less than it costs. */
    static final int MIN_SHARED_PREFIX = 8;
    private static final List<String> DEFAULT_LORA_TARGETS = List.of("q_proj", "v_proj");

    private final TuningServices services;
    private final TuningRequestDTO request;
    private final CheckpointStore store;
    private final TuningListener listener;

    private TaskData data;
    private BaseModels.Lease base;
    private List<TokenizedSamples.Sample> train;
    private List<TokenizedSamples.Sample> validation;
    private List<TokenizedSamples.Sample> test;
    private long trainFileSamples;
    private long testFileSamples;
    private BatchPlan plan;
    private long plannedSteps;
    private LearningRateSchedule schedule;
    private int cutSamples;

    private AdapterTuningJob(TuningServices services, TuningRequestDTO request, CheckpointStore store,
            TuningListener listener) {
        this.services = services;
        this.request = request;
        this.store = store;
        this.listener = listener;
    }

    static TuningResultDTO start(TuningServices services, TuningRequestDTO request, TuningListener listener)
            throws TuningException {
        TuningRequestDTO r = normalize(request);
        CheckpointStore store = new CheckpointStore(checkpointDir(r));
        JobFiles.requireNoJob(store);
        if (r.stage == 1 && (r.train == null || r.train.isBlank())) {
            buildInstructionSet(services, r, store);
        }
        AdapterTuningJob job = new AdapterTuningJob(services, r, store, listener);
        try {
            job.prepare();
            ObjectNode jobJson = DatasetFile.JSON.createObjectNode();
            jobJson.put("kind", KIND);
            jobJson.set("request", DatasetFile.JSON.valueToTree(r));
            jobJson.put("baseModel", job.baseFingerprint());
            store.writeJob(jobJson);
            return job.run(null);
        } finally {
            job.release();
        }
    }

    static TuningResultDTO resume(TuningServices services, Path dir, TuningListener listener) throws TuningException {
        CheckpointStore store = new CheckpointStore(dir);
        TuningRequestDTO r = JobFiles.request(store, KIND, TuningRequestDTO.class);
        TuningResultDTO done = JobFiles.finished(store, TuningResultDTO.class);
        if (done != null) {
            return done;
        }
        r.checkpoints = store.dir.toString();
        AdapterTuningJob j = new AdapterTuningJob(services, r, store, listener);
        try {
            j.prepare();
            String expected = store.readJob().path("baseModel").asText();
            if (!expected.equals(j.baseFingerprint())) {
                throw new TuningException(dir + ": the run was made over base model " + expected + ", this one is "
                        + j.baseFingerprint());
            }
            store.clean();
            return j.run(store.latest().orElse(null));
        } finally {
            j.release();
        }
    }

    private static Path checkpointDir(TuningRequestDTO r) {
        return r.checkpoints != null && !r.checkpoints.isBlank() ? Paths.get(r.checkpoints)
                : Paths.get(r.output).resolve("checkpoints");
    }

    /** Checks the request's numbers and fills the defaults in; the returned copy is what job.json keeps. */
    static TuningRequestDTO normalize(TuningRequestDTO in) throws TuningException {
        TuningRequestDTO r = JobFiles.copy(in, TuningRequestDTO.class);
        if (r.stage != 1 && r.stage != 2) {
            throw new TuningException("stage must be 1 (router) or 2 (task adapter), is " + r.stage);
        }
        if (r.output == null || r.output.isBlank()) {
            throw new TuningException("no output directory");
        }
        if (r.stage == 2 && (r.train == null || r.train.isBlank())) {
            throw new TuningException("stage 2 needs a train file");
        }
        if (r.stage == 1 && (r.train == null || r.train.isBlank()) && (r.instructions == null
                || r.instructions.isBlank())) {
            throw new TuningException("stage 1 needs an instruction set: a train file or TrafficLLM's instruction.json");
        }
        if ((r.train != null && !r.train.isBlank()) && (r.test == null || r.test.isBlank())) {
            throw new TuningException("a test file is needed next to " + r.train);
        }
        if (r.initAdapter != null && !r.initAdapter.isBlank()) {
            shapeOf(r);
        }
        r.peft = peftType(r.peft);
        positive("batch size", r.batchSize);
        positive("accumulation", r.accumulation);
        positive("checkpoint interval", r.checkpointEvery);
        if (r.maxSteps <= 0 && !(r.epochs > 0)) {
            throw new TuningException("epochs must be positive (or give max steps), is " + r.epochs);
        }
        if (r.peft.equals(LORA)) {
            positive("LoRA rank", r.loraRank);
            if (r.loraTargets == null || r.loraTargets.isEmpty()) {
                r.loraTargets = new ArrayList<>(DEFAULT_LORA_TARGETS);
            }
        } else {
            positive("virtual tokens", r.virtualTokens);
        }
        if (r.trafficTokens < 0 || r.patience < 0 || r.trainLimit < 0 || r.testLimit < 0 || r.validationLimit < 0) {
            throw new TuningException("traffic tokens, patience and limits cannot be negative");
        }
        if (r.validationShare < 0 || r.validationShare >= 1) {
            throw new TuningException("validation share must be in [0, 1), is " + r.validationShare);
        }
        if (!(r.balance >= 0 && r.balance <= 1)) {
            throw new TuningException("class balance must be in [0, 1], is " + r.balance);
        }
        if (!(r.minEpochs >= 0) || r.epochs > 0 && r.minEpochs > r.epochs) {
            throw new TuningException("minimum epochs must be in [0, epochs " + trim(r.epochs) + "], is "
                    + trim(r.minEpochs));
        }
        return r;
    }

    /** A continued adapter keeps its shape: the request takes PEFT type, rank, alpha, targets and virtual tokens from it. */
    private static void shapeOf(TuningRequestDTO r) throws TuningException {
        Path dir = Paths.get(r.initAdapter).toAbsolutePath().normalize();
        Path file = dir.resolve("adapter_config.json");
        if (!Files.isRegularFile(file)) {
            throw new TuningException(dir + ": not an adapter directory (no adapter_config.json)");
        }
        JsonNode c;
        try {
            c = DatasetFile.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new TuningException(file + ": " + e.getMessage().lines().findFirst().orElse("unreadable"), e);
        }
        r.initAdapter = dir.toString();
        r.peft = peftType(c.path("peft_type").asText("LORA"));
        if (r.peft.equals(LORA)) {
            if (!c.path("r").canConvertToInt() || !c.path("target_modules").isArray()) {
                throw new TuningException(file + ": a LoRA configuration needs r and a list of target_modules");
            }
            if (c.path("use_rslora").asBoolean(false)) {
                throw new TuningException(file + ": rsLoRA adapters cannot be continued by this trainer");
            }
            r.loraRank = c.path("r").asInt();
            r.loraAlpha = c.path("lora_alpha").asDouble(8);
            r.loraTargets = new ArrayList<>();
            c.path("target_modules").forEach(t -> r.loraTargets.add(t.asText()));
        } else {
            if (c.path("prefix_projection").asBoolean(false)) {
                throw new TuningException(file + ": a prefix adapter with a projection encoder cannot be continued");
            }
            if (!c.path("num_virtual_tokens").canConvertToInt()) {
                throw new TuningException(file + ": a prefix-tuning configuration needs num_virtual_tokens");
            }
            r.virtualTokens = c.path("num_virtual_tokens").asInt();
        }
    }

    static String peftType(String name) throws TuningException {
        String n = name == null ? "lora" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "lora" -> LORA;
            case "prefix", "prefix_tuning", "p-tuning-v2", "ptuning" -> PREFIX;
            default -> throw new TuningException("PEFT type '" + name + "' is not lora or prefix");
        };
    }

    private static void positive(String what, int value) throws TuningException {
        if (value <= 0) {
            throw new TuningException(what + " must be positive, is " + value);
        }
    }

    private static void buildInstructionSet(TuningServices services, TuningRequestDTO r, CheckpointStore store)
            throws TuningException {
        InstructionSetRequestDTO b = new InstructionSetRequestDTO();
        b.input = r.instructions;
        b.outputPath = store.dir.resolve("instruction-set").toString();
        b.seed = r.seed;
        try {
            InstructionSetResultDTO built = services.instructionSets().build(b, null);
            r.train = built.trainFile;
            r.test = built.testFile;
            if (r.labels == null || r.labels.isBlank()) {
                r.labels = built.labelFile;
            }
        } catch (DatasetException e) {
            throw new TuningException(e.getMessage(), e);
        }
    }

    private int reservedTokens() {
        return request.peft.equals(PREFIX) ? request.virtualTokens : 0;
    }

    private void prepare() throws TuningException {
        Path trainFile = Paths.get(request.train);
        Path testFile = Paths.get(request.test);
        List<DatasetFile.Line> trainLines = DatasetFile.read(trainFile);
        List<DatasetFile.Line> testLines = DatasetFile.read(testFile);
        data = TaskData.resolve(request, trainFile, trainLines, services.catalog());
        TaskDescriptorDTO task = data.task;
        if (task.kind == TaskKind.GENERATION) {
            throw new TuningException("task " + task.id + " is a generation task; tuning trains detection adapters and "
                    + "the router");
        }
        base = services.models().open(request.baseModel);
        BaseModel model = base.model();
        List<TokenizedSamples.Sample> all = TokenizedSamples.tokenize(trainFile, trainLines, services.format(), task,
                data.labels, model, request.trafficTokens, reservedTokens(), true);
        trainFileSamples = all.size();
        Set<String> seen = new HashSet<>();
        all.forEach(s -> seen.add(s.label()));
        List<TokenizedSamples.Sample> tests = TokenizedSamples.tokenize(testFile, testLines, services.format(), task,
                data.labels, model, request.trafficTokens, reservedTokens(), false);
        Map<String, Integer> unseen = new TreeMap<>();
        for (TokenizedSamples.Sample s : tests) {
            if (!seen.contains(s.label())) {
                unseen.merge(s.label(), 1, Integer::sum);
            }
        }
        if (!unseen.isEmpty()) {
            throw new TuningException(testFile + ": labels never seen in training (" + trainFile.getFileName() + "): "
                    + unseen);
        }
        for (String label : data.labels) {
            try {
                if (model.encode(label).length == 0) {
                    throw new TuningException("label '" + label + "' encodes to no token with base model "
                            + model.info().name);
                }
            } catch (ModelException e) {
                throw new TuningException("label '" + label + "': " + e.getMessage(), e);
            }
        }
        testFileSamples = tests.size();
        test = TokenizedSamples.draw(tests, request.testLimit, request.seed + 2);
        List<TokenizedSamples.Sample> pool = TokenizedSamples.draw(all, request.trainLimit, request.seed + 3);
        List<List<TokenizedSamples.Sample>> parts = TokenizedSamples.holdOut(pool, request.validationShare,
                request.validationLimit, request.seed);
        train = parts.get(0);
        List<TokenizedSamples.Sample> held = new ArrayList<>();
        for (TokenizedSamples.Sample s : parts.get(1)) {
            held.add(asClassification(model, s));
        }
        validation = held;
        cutSamples = (int) train.stream().filter(s -> s.cut() > 0).count();
        plan = new BatchPlan(TokenizedSamples.lengths(train), classes(train), request.balance, request.batchSize,
                request.seed);
        long updatesPerEpoch = (plan.batchesPerEpoch() + request.accumulation - 1) / request.accumulation;
        long byEpochs = request.epochs > 0 ? (long) Math.ceil(request.epochs * updatesPerEpoch) : Long.MAX_VALUE;
        plannedSteps = request.maxSteps > 0 ? Math.min(request.maxSteps, byEpochs) : byEpochs;
        schedule = new LearningRateSchedule(request.schedule, plannedSteps);
    }

    /** Each sample's class as the index of its answer among the distinct answers, for the batch plan's balance. */
    static int[] classes(List<TokenizedSamples.Sample> samples) {
        Map<String, Integer> ids = new HashMap<>();
        int[] classOf = new int[samples.size()];
        for (int i = 0; i < classOf.length; i++) {
            classOf[i] = ids.computeIfAbsent(samples.get(i).label(), l -> ids.size());
        }
        return classOf;
    }

    /** A training sample's prompt re-made as a classification prompt (validation comes from the train file). */
    private TokenizedSamples.Sample asClassification(BaseModel model, TokenizedSamples.Sample s) throws TuningException {
        int longest = 0;
        try {
            for (String label : data.labels) {
                longest = Math.max(longest, model.encode(label).length);
            }
        } catch (ModelException e) {
            throw new TuningException(e.getMessage(), e);
        }
        int[] prompt = java.util.Arrays.copyOf(s.tokens(), s.promptTokens());
        int room = model.info().maxContext - reservedTokens() - longest - 1;
        if (prompt.length > room) {
            throw new TuningException("validation sample at line " + s.line() + ": prompt of " + prompt.length
                    + " tokens leaves no room for the longest label");
        }
        return new TokenizedSamples.Sample(s.line(), s.key(), s.label(), prompt, prompt.length, s.cut());
    }

    private String baseFingerprint() {
        BaseModelInfo i = base.model().info();
        return i.name + " " + i.version + " (" + i.arch + ", vocab " + i.vocabSize + ", hidden " + i.hiddenSize
                + ", layers " + i.layers + ")";
    }

    /** The model session's spec; a run resumed from a checkpoint takes its weights from there, not from --from. */
    private AdapterTrainingSpec spec(boolean fresh) {
        AdapterTrainingSpec s = new AdapterTrainingSpec();
        s.peftType = request.peft;
        s.r = request.loraRank;
        s.loraAlpha = request.loraAlpha;
        s.targetModules = request.peft.equals(LORA) ? request.loraTargets : null;
        s.numVirtualTokens = request.virtualTokens;
        s.prefixProjection = false;
        s.seed = request.seed;
        s.initFrom = fresh ? request.initAdapter : null;
        s.optimizer = LearningRateSchedule.optimizer(request.schedule);
        return s;
    }

    private TuningResultDTO run(Path checkpoint) throws TuningException {
        BaseModel model = base.model();
        try (TrainingSession session = services.training().trainAdapter(model, spec(checkpoint == null))) {
            LoopState st = TrainingLoop.restore(session, checkpoint);
            Path best = store.dir.resolve("best");
            CheckpointStore.deleteTree(best);
            if (checkpoint != null && Files.isDirectory(checkpoint.resolve("best"))) {
                CheckpointStore.copyFiles(checkpoint.resolve("best"), best);
            }
            RunProgress progress = new RunProgress(listener, plannedSteps, st.step, st.elapsedMillis);
            TrainingLoop loop = new TrainingLoop(session, store, schedule, request.accumulation,
                    request.checkpointEvery, plannedSteps, plan.batchesPerEpoch(), progress);
            progress.phase("train", st.step, loop.epoch(st), String.format(Locale.ROOT,
                    "%s %s over %s%s: %d train, %d validation, %d test samples (%d with traffic cut to %d tokens), "
                            + "%d trainable weights, %d steps planned%s",
                    data.task.id, request.peft, base.description(),
                    request.initAdapter != null ? ", continuing " + request.initAdapter : "", train.size(),
                    validation.size(), test.size(), cutSamples, request.trafficTokens, session.trainableParameters(), plannedSteps,
                    checkpoint != null ? ", resumed at step " + st.step : ""), null);
            if (checkpoint == null && request.initAdapter != null) {
                // The adapter continued from is the bar: a later step is kept only when it validates better.
                validate(session, model, st, progress, loop);
            }
            loop.run(st, new TrainingLoop.Hooks() {
                @Override
                public TrainingBatch batch(long index) {
                    return AdapterTuningJob.this.batch(plan.batch(index));
                }

                @Override
                public void atInterval(LoopState s) throws TuningException, ModelException, IOException {
                    validate(session, model, s, progress, loop);
                }

                @Override
                public void saveExtras(Path tmp) throws IOException {
                    if (Files.isDirectory(best)) {
                        CheckpointStore.copyFiles(best, tmp.resolve("best"));
                    }
                }
            });
            return finish(session, model, st, progress, loop);
        } catch (ModelException e) {
            throw new TuningException(e.getMessage(), e);
        } catch (IOException e) {
            throw new TuningException(store.dir + ": " + e.getMessage(), e);
        }
    }

    private TrainingBatch batch(int[] indices) {
        int[][] ids = new int[indices.length][];
        boolean[][] mask = new boolean[indices.length][];
        int shared = Integer.MAX_VALUE;
        for (int i = 0; i < indices.length; i++) {
            TokenizedSamples.Sample s = train.get(indices[i]);
            ids[i] = s.tokens();
            mask[i] = new boolean[s.tokens().length];
            for (int t = s.promptTokens(); t < mask[i].length; t++) {
                mask[i][t] = true;
            }
            shared = Math.min(shared, Math.min(s.promptTokens() - 1, commonPrefix(ids[0], ids[i])));
        }
        TrainingBatch batch = new TrainingBatch(ids, mask);
        // A task's instruction is the same in every sample: run it once per batch, not once per row.
        batch.sharedPrefix = indices.length > 1 && shared >= MIN_SHARED_PREFIX ? shared : 0;
        return batch;
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    /** Validates the adapter as it is now, keeps it when it is the best so far, and decides on stopping early. */
    private void validate(TrainingSession session, BaseModel model, LoopState st, RunProgress progress,
            TrainingLoop loop) throws TuningException, ModelException, IOException {
        if (validation.isEmpty()) {
            return;
        }
        double trainLoss = st.curve.isEmpty() ? Double.NaN : st.curve.get(st.curve.size() - 1)[1];
        progress.phase("validate", st.step, loop.epoch(st), null, null);
        Path current = store.dir.resolve("current");
        session.saveAdapter(current);
        EvaluationReportDTO report = evaluate(model, current, validation, null, null);
        ValidationDTO v = new ValidationDTO();
        v.step = st.step;
        v.samples = report.samples;
        v.accuracy = report.accuracy;
        v.macroF1 = report.macro.f1;
        v.trainLoss = trainLoss;
        double bestF1 = st.validations.stream().mapToDouble(x -> x.macroF1).max().orElse(-1);
        v.best = v.macroF1 > bestF1;
        st.validations.add(v);
        if (v.best) {
            Path best = store.dir.resolve("best");
            Path staged = store.dir.resolve(".best.tmp");
            CheckpointStore.deleteTree(staged);
            CheckpointStore.copyFiles(current, staged);
            CheckpointStore.deleteTree(best);
            CheckpointStore.move(staged, best);
            st.sinceBest = 0;
            st.millisToBest = progress.elapsedMillis();
        } else {
            st.sinceBest++;
        }
        if (stopsEarly(request, st.sinceBest, loop.epoch(st))) {
            st.stopped = true;
            st.stoppedEarly = true;
        }
        progress.phase("validate", st.step, loop.epoch(st), String.format(Locale.ROOT,
                "validation at step %d: accuracy %.4f, macro-F1 %.4f%s (%s)", st.step, v.accuracy,
                v.macroF1, v.best ? ", best so far" : ", " + st.sinceBest + " without improvement",
                Double.isNaN(trainLoss) ? "the adapter continued from" : String.format(Locale.ROOT, "train loss %.4f",
                        trainLoss)), v);
    }

    /**
     * Whether a run stops after a validation: {@code patience} validations in a row without
     * a better macro-F1, once at least {@code minEpochs} epochs have passed.
     */
    static boolean stopsEarly(TuningRequestDTO request, int sinceBest, double epoch) {
        return request.patience > 0 && sinceBest >= request.patience && epoch >= request.minEpochs;
    }

    /** Loads an adapter directory through the inference path and classifies samples with it. */
    private EvaluationReportDTO evaluate(BaseModel model, Path adapter, List<TokenizedSamples.Sample> samples,
            EvaluationRunDTO run, TestSetClassification.Progress progress) throws ModelException, TuningException {
        try (TestSetClassification.ResidentAdapter a = TestSetClassification.ResidentAdapter.load(model,
                "tuning-" + data.task.id, adapter)) {
            TestSetClassification.Answers answers = TestSetClassification.classify(samples,
                    TokenizedSamples.Sample::label, TestSetClassification.adapter(model, a.id, data.labels),
                    TestSetClassification.DEFAULT_BATCH, progress, false);
            EvaluationReportDTO report = services.evaluation().evaluate(data.labels, answers.expected(),
                    answers.predicted(), run);
            if (run != null) {
                report.run.predictMillis = answers.millis();
            }
            return report;
        }
    }

    private TuningResultDTO finish(TrainingSession session, BaseModel model, LoopState st, RunProgress progress,
            TrainingLoop loop) throws TuningException, ModelException, IOException {
        Path adapter = store.dir.resolve("best");
        if (!Files.isDirectory(adapter)) {
            adapter = store.dir.resolve("current");
            session.saveAdapter(adapter);
        }
        Path out = Paths.get(request.output).toAbsolutePath();
        Files.createDirectories(out);
        for (String f : new String[] {"adapter_config.json", "adapter_model.safetensors"}) {
            CheckpointStore.writeAtomically(out.resolve(f), Files.readAllBytes(adapter.resolve(f)));
        }
        TaskDescriptorDTO task = data.task;
        task.trafficTokens = request.trafficTokens;
        CheckpointStore.writeAtomically(out.resolve("task.json"), TaskData.TASK_JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(taskJson(task)));

        progress.phase("test", st.step, loop.epoch(st), "testing the kept adapter on " + test.size() + " samples", null);
        EvaluationRunDTO run = new EvaluationRunDTO();
        run.dataset = data.dataset;
        run.split = data.split;
        run.masking = data.masking;
        run.task = task.id;
        run.model = base.description();
        run.adapter = adapterDescription(session);
        run.trainSamples = train.size();
        run.testSamples = testFileSamples;
        run.trainMillis = st.elapsedMillis;
        run.notes = notes();
        double epoch = loop.epoch(st);
        EvaluationReportDTO report = evaluate(model, out, test, run,
                (done, total, nanos) -> progress.samples("test", st.step, epoch, done, total, nanos));
        long testMillis = report.run.predictMillis;
        Path metrics = out.resolve("metrics.json");
        Path staged = out.resolve(".metrics.json.tmp");
        services.evaluation().writeJson(report, staged);
        CheckpointStore.move(staged, metrics);
        services.evaluation().writeHtml(report, store.dir.resolve("metrics.html"));

        TuningResultDTO result = new TuningResultDTO();
        result.stage = request.stage;
        result.task = task.id;
        result.baseModel = base.description();
        result.output = out.toString();
        result.checkpoints = store.dir.toString();
        result.peft = request.peft;
        result.trainableParameters = session.trainableParameters();
        result.trainSamples = train.size();
        result.validationSamples = validation.size();
        result.testSamples = test.size();
        result.steps = st.step;
        result.plannedSteps = plannedSteps;
        result.epochs = loop.epoch(st);
        result.tokens = st.tokens;
        result.stoppedEarly = st.stoppedEarly;
        result.validations = st.validations;
        result.best = st.validations.stream().filter(v -> v.best).reduce((a, b) -> b).orElse(null);
        result.testAccuracy = report.accuracy;
        result.testMacroF1 = report.macro.f1;
        result.testWeightedF1 = report.weighted.f1;
        result.metricsFile = metrics.toString();
        result.trainMillis = st.elapsedMillis;
        result.millisToBest = st.millisToBest;
        result.tokensPerSecond = st.elapsedMillis > 0 ? st.tokens * 1000.0 / st.elapsedMillis : 0;
        result.testMillis = testMillis;
        CheckpointStore.writeAtomically(out.resolve("MODEL.md"), AdapterCard.write(request, data, result, report, st,
                trainFileSamples, cutSamples, schedule.warmupSteps()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CheckpointStore.writeJson(store.dir.resolve(CheckpointStore.RESULT), result);
        progress.phase("done", st.step, loop.epoch(st), String.format(Locale.ROOT,
                "test: accuracy %.4f, macro-F1 %.4f, weighted-F1 %.4f on %d samples; adapter in %s", report.accuracy,
                report.macro.f1, report.weighted.f1, report.samples, out), null);
        return result;
    }

    /** The task descriptor as task.json holds it: kind and granularity in TrafficLLM's lower-case words. */
    private static ObjectNode taskJson(TaskDescriptorDTO task) {
        ObjectNode n = TaskData.TASK_JSON.valueToTree(task);
        n.put("kind", task.kind.word());
        if (task.granularity != null) {
            n.put("granularity", task.granularity.word());
        }
        return n;
    }

    private String adapterDescription(TrainingSession session) {
        return request.peft.equals(LORA)
                ? String.format(Locale.ROOT, "%s LoRA r=%d alpha=%s on %s (%,d weights)", data.task.id,
                        request.loraRank, trim(request.loraAlpha), String.join(",", request.loraTargets),
                        session.trainableParameters())
                : String.format(Locale.ROOT, "%s prefix tuning, %d virtual tokens (%,d weights)", data.task.id,
                        request.virtualTokens, session.trainableParameters());
    }

    private String notes() {
        return String.format(Locale.ROOT, "stage %d, traffic budget %d tokens, batch %d x %d, lr %s %s, warm-up %d, "
                + "epochs %s, max steps %d, checkpoint every %d, patience %d, validation share %s (at most %d), "
                + "seed %d", request.stage, request.trafficTokens, request.batchSize, request.accumulation,
                trim(request.schedule.learningRate), request.schedule.decay, schedule.warmupSteps(),
                trim(request.epochs), request.maxSteps, request.checkpointEvery, request.patience,
                trim(request.validationShare), request.validationLimit, request.seed)
                + (request.balance > 0 ? ", class balance " + trim(request.balance) : "")
                + (request.minEpochs > 0 ? ", no early stop before epoch " + trim(request.minEpochs) : "");
    }

    static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }

    private void release() {
        if (base != null) {
            base.close();
        }
    }
}

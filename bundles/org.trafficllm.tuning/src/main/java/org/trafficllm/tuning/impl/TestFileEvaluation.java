package org.trafficllm.tuning.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.dto.TaskAnswerDTO;
import org.trafficllm.api.task.dto.TaskDTO;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.TuningListener;
import org.trafficllm.api.tuning.dto.EvaluationRequestDTO;
import org.trafficllm.api.tuning.dto.EvaluationResultDTO;
import org.trafficllm.api.tuning.dto.TuningProgressDTO;

/**
 * TrafficLLM's evaluation step over a whole test file: an adapter directory loaded
 * over a base model (asked exactly as the tuning job's test asks it) or a task
 * installed in the runtime (asked through the task registry, as it serves). Everything
 * is read and checked first; the reports are written only when every sample was
 * classified.
 */
final class TestFileEvaluation {
    static final String REPORT_JSON = "report.json";
    static final String REPORT_HTML = "report.html";
    static final String PREDICTIONS = "predictions.jsonl";
    static final String PHASE = "evaluate";

    /** The runtime's installed tasks, for evaluating one without an adapter directory. */
    interface InstalledTasks {
        /** The task registry, or null when none runs here. */
        TaskRegistry registry();

        /** The {@code task.json} the task's bundle carries, or null when it cannot be read. */
        TaskDescriptorDTO bundled(TaskDTO task);
    }

    private final TuningServices services;
    private final EvaluationRequestDTO request;
    private final TuningListener listener;
    private final Path testFile;
    private final Path output;

    private TaskDescriptorDTO task;
    /** The labels the classifier chooses among. */
    private List<String> answers;
    /** The label set of the report: the label file, else {@link #answers}. */
    private List<String> labels;
    private String labelSource;
    private long fileSamples;
    private List<TokenizedSamples.Parsed> samples;
    private String selection;

    private TestFileEvaluation(TuningServices services, EvaluationRequestDTO request, TuningListener listener) {
        this.services = services;
        this.request = request;
        this.listener = listener;
        this.testFile = Paths.get(request.test);
        this.output = Paths.get(request.output == null || request.output.isBlank()
                ? "eval-" + TaskData.stem(testFile) : request.output).toAbsolutePath();
    }

    static EvaluationResultDTO run(TuningServices services, InstalledTasks installed, EvaluationRequestDTO in,
            TuningListener listener) throws TuningException {
        EvaluationRequestDTO r = JobFiles.copy(in, EvaluationRequestDTO.class);
        if (r.test == null || r.test.isBlank()) {
            throw new TuningException("no test file");
        }
        if (r.limit < 0) {
            throw new TuningException("limit cannot be negative, is " + r.limit);
        }
        if (r.batchSize <= 0) {
            throw new TuningException("batch size must be positive, is " + r.batchSize);
        }
        TestFileEvaluation e = new TestFileEvaluation(services, r, listener);
        if (r.adapter != null && !r.adapter.isBlank()) {
            return e.adapter(Paths.get(r.adapter).toAbsolutePath());
        }
        if (r.task == null || r.task.isBlank()) {
            throw new TuningException("name the task to evaluate (--task), or give an adapter directory (--adapter)");
        }
        TaskRegistry registry = installed == null ? null : installed.registry();
        if (registry == null) {
            throw new TuningException("no task registry runs here to evaluate installed task '" + r.task
                    + "'; give an adapter directory (--adapter)");
        }
        return e.installed(registry, installed);
    }

    /** The adapter directory's evaluation: its task.json's prompt format, traffic budget and labels. */
    private EvaluationResultDTO adapter(Path dir) throws TuningException {
        if (!Files.isDirectory(dir)) {
            throw new TuningException(dir + ": no such adapter directory");
        }
        Path config = dir.resolve("adapter_config.json");
        if (!Files.isRegularFile(config)) {
            throw new TuningException(dir + ": not a PEFT adapter directory (no adapter_config.json)");
        }
        JsonNode adapterConfig = CheckpointStore.readJson(config);
        String trainedOver = adapterConfig.path("base_model_name_or_path").asText("");
        Path taskJson = dir.resolve("task.json");
        TaskDescriptorDTO descriptor;
        String descriptorSource;
        if (present(request.taskFile)) {
            descriptor = TaskData.readTask(Paths.get(request.taskFile));
            descriptorSource = request.taskFile;
        } else if (Files.isRegularFile(taskJson)) {
            descriptor = TaskData.readTask(taskJson);
            descriptorSource = taskJson.toString();
        } else if (present(request.task)) {
            descriptor = services.catalog().task(request.task).orElseThrow(() -> new TuningException(dir
                    + " has no task.json and task '" + request.task + "' is not in the catalog; give --task-file"));
            descriptorSource = "catalog (the adapter has no task.json)";
        } else {
            throw new TuningException(dir + " has no task.json: name the task (--task) or give its descriptor "
                    + "(--task-file)");
        }
        prepare(descriptor, descriptorSource, descriptor.labels);

        String baseName = present(request.baseModel) ? request.baseModel : baseOf(trainedOver, dir);
        BaseModels.Lease base;
        try {
            base = services.models().open(baseName);
        } catch (TuningException e) {
            throw present(request.baseModel) ? e : new TuningException(e.getMessage() + " (the base model "
                    + config + " names; give --base)", e);
        }
        try (base) {
            BaseModel model = base.model();
            TestSetClassification.ResidentAdapter resident;
            try {
                resident = TestSetClassification.ResidentAdapter.load(model, "eval-" + task.id, dir);
            } catch (ModelException e) {
                throw new TuningException(e.getMessage() + " (adapter trained over '" + trainedOver
                        + "', evaluated over " + base.description() + ")", e);
            }
            try (resident) {
                List<TokenizedSamples.Sample> tokenized = TokenizedSamples.classification(testFile, samples,
                        services.format(), model, task.trafficTokens, resident.reservedTokens(), answers);
                TestSetClassification.Answers got = TestSetClassification.classify(tokenized,
                        TokenizedSamples.Sample::label, TestSetClassification.adapter(model, resident.id, answers),
                        request.batchSize, this::progress, true);
                EvaluationRunDTO run = run(base.description(), String.format(Locale.ROOT, "%s %s %s (%s)", task.id,
                        resident.info.peftType, resident.info.peftType.equals(AdapterTuningJob.PREFIX)
                                ? resident.info.rank + " virtual tokens" : "r=" + resident.info.rank, dir),
                        String.format(Locale.ROOT, "prompts by the prompt format from %s, traffic budget %d tokens "
                                + "(%d samples cut)", descriptorSource, task.trafficTokens,
                                tokenized.stream().filter(s -> s.cut() > 0).count()));
                return finish(got, run, base.description(), dir.toString());
            }
        }
    }

    /**
     * The base model an adapter names ({@code base_model_name_or_path}): a model directory
     * as written (PEFT keeps the path it was trained from, often relative), or beside the
     * adapter, else the directory's (or hub id's) last name as an installed base model.
     */
    static String baseOf(String trainedOver, Path adapter) {
        if (trainedOver.isBlank()) {
            return "nano";
        }
        if (Files.isDirectory(Paths.get(trainedOver))) {
            return trainedOver;
        }
        Path beside = adapter.resolve(trainedOver).normalize();
        if (Files.isRegularFile(beside.resolve("config.json")) && Files.isRegularFile(beside.resolve("tokenizer.json"))) {
            return beside.toString();
        }
        String name = trainedOver.replaceAll("[/\\\\]+$", "");
        return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    }

    /** The installed task's evaluation: the registry builds the prompts from the serving task.json. */
    private EvaluationResultDTO installed(TaskRegistry registry, InstalledTasks installed) throws TuningException {
        TaskDTO found = registry.task(request.task).orElseThrow(() -> new TuningException("task '" + request.task
                + "' is not installed; installed: " + ids(registry)));
        if (found.kind != TaskKind.DETECTION) {
            throw new TuningException("task " + found.id + " is a " + (found.kind == null ? "?" : found.kind.word())
                    + " task; an installed task is evaluated through its classification, which detection tasks "
                    + "answer" + (found.kind == TaskKind.ROUTER ? " (evaluate the router's adapter directory with "
                            + "--adapter)" : ""));
        }
        TaskDescriptorDTO descriptor;
        String source;
        if (present(request.taskFile)) {
            descriptor = TaskData.readTask(Paths.get(request.taskFile));
            source = request.taskFile;
        } else {
            descriptor = installed.bundled(found);
            source = "task bundle " + found.symbolicName + " " + found.bundleVersion;
            if (descriptor == null) {
                descriptor = services.catalog().task(found.id).orElseThrow(() -> new TuningException("cannot read "
                        + "task.json of task " + found.id + " and the catalog has no such task; give --task-file"));
                source = "catalog";
            }
        }
        if (!descriptor.id.equalsIgnoreCase(found.id)) {
            throw new TuningException(source + " describes task " + descriptor.id + ", not " + found.id);
        }
        prepare(descriptor, source, found.labels);
        String[] version = {found.version};
        TestSetClassification.Answers got = TestSetClassification.classify(samples, TokenizedSamples.Parsed::label,
                chunk -> {
                    List<String> traffic = new ArrayList<>(chunk.size());
                    chunk.forEach(p -> traffic.add(p.prompt().variable));
                    try {
                        List<TestSetClassification.Answer> out = new ArrayList<>(chunk.size());
                        for (TaskAnswerDTO a : registry.classify(found.id, task.granularity, traffic)) {
                            out.add(new TestSetClassification.Answer(a.label, a.score));
                            version[0] = a.version;
                        }
                        return out;
                    } catch (TaskException e) {
                        throw new TuningException(testFile + ":" + chunk.get(0).line() + " and after: "
                                + e.getMessage(), e);
                    }
                }, request.batchSize, this::progress, true);
        // Described after answering: a task bundle still loading when the evaluation began has served by now.
        TaskDTO served = registry.task(found.id).orElse(found);
        String model = served.baseModel + (served.baseModelVersion == null ? "" : " " + served.baseModelVersion);
        EvaluationRunDTO run = run(model, served.id + " " + version[0] + " (task bundle " + served.symbolicName
                + (served.peftType == null ? "" : ", " + served.peftType) + ")", "installed task asked through the "
                        + "task registry, prompts from its serving task.json; samples parsed with the descriptor of "
                        + "the " + source);
        return finish(got, run, model, null);
    }

    /** Reads and checks the test and label files against the task; draws the subset. */
    private void prepare(TaskDescriptorDTO descriptor, String source, List<String> taskLabels) throws TuningException {
        if (present(request.task) && !request.task.equalsIgnoreCase(descriptor.id)
                && !request.task.equalsIgnoreCase(descriptor.name)) {
            throw new TuningException(source + " is task " + descriptor.id + ", the request names " + request.task);
        }
        if (descriptor.kind == TaskKind.GENERATION) {
            throw new TuningException("task " + descriptor.id + " is a generation task; evaluation classifies "
                    + "(detection tasks and the router)");
        }
        if (descriptor.kind == null || descriptor.promptTemplate == null) {
            throw new TuningException(source + ": task " + descriptor.id + " has no kind or promptTemplate");
        }
        task = withGranularity(descriptor);
        List<String> fromLabelFile = present(request.labels) ? TaskData.labelFile(Paths.get(request.labels)) : null;
        answers = taskLabels != null && !taskLabels.isEmpty() ? List.copyOf(taskLabels) : fromLabelFile;
        if (answers == null || answers.isEmpty()) {
            throw new TuningException(source + ": task " + descriptor.id + " lists no labels; give a label file "
                    + "(--labels)");
        }
        labels = fromLabelFile != null ? fromLabelFile : answers;
        labelSource = fromLabelFile != null ? "label file " + request.labels : "the labels of task " + descriptor.id;
        if (labels.isEmpty()) {
            throw new TuningException(request.labels + ": the label set is empty");
        }
        List<DatasetFile.Line> lines = DatasetFile.read(testFile);
        List<TokenizedSamples.Parsed> parsed = TokenizedSamples.parse(testFile, lines, services.format(), task,
                labels, fromLabelFile != null ? "the label file " + request.labels : "the label set of task "
                        + descriptor.id);
        fileSamples = parsed.size();
        samples = TokenizedSamples.draw(parsed, TokenizedSamples.Parsed::label, request.limit, request.seed);
        selection = samples.size() < parsed.size()
                ? String.format(Locale.ROOT, "seeded per-class draw, seed %d", request.seed) : "every sample";
    }

    /**
     * The descriptor as the samples are written: in the granularity the request names,
     * else the one of the dataset's task file beside the test file, else its own.
     */
    private TaskDescriptorDTO withGranularity(TaskDescriptorDTO descriptor) throws TuningException {
        Granularity g = request.granularity;
        Path beside = testFile.toAbsolutePath().resolveSibling(TaskData.stem(testFile) + "_task.json");
        if (g == null && Files.isRegularFile(beside)) {
            TaskDescriptorDTO dataset = TaskData.readTask(beside);
            if (dataset.id.equalsIgnoreCase(descriptor.id)) {
                g = dataset.granularity;
            }
        }
        if (g == null || g == descriptor.granularity) {
            return descriptor;
        }
        TaskDescriptorDTO copy = JobFiles.copy(descriptor, TaskDescriptorDTO.class);
        copy.granularity = g;
        return copy;
    }

    private EvaluationRunDTO run(String model, String adapter, String how) throws TuningException {
        String[] described = TaskData.describe(testFile, request.dataset, request.split, request.masking);
        EvaluationRunDTO run = new EvaluationRunDTO();
        run.dataset = described[0];
        run.split = described[1];
        run.masking = described[2];
        run.task = task.id;
        run.model = model;
        run.adapter = adapter;
        run.testSamples = fileSamples;
        Set<String> unanswerable = new LinkedHashSet<>(labels);
        unanswerable.removeAll(answers);
        Set<String> outside = new LinkedHashSet<>(answers);
        outside.removeAll(labels);
        run.notes = String.format(Locale.ROOT, "test file %s: %d of %d samples, %s; label set: %s; %s; constrained "
                + "decoding over %d labels, batches of %d", testFile, samples.size(), fileSamples, selection,
                labelSource, how, answers.size(), request.batchSize)
                + (outside.isEmpty() ? "" : "; answers " + outside + " are outside the label set (invalid)")
                + (unanswerable.isEmpty() ? "" : "; labels " + unanswerable + " cannot be answered by this task");
        return run;
    }

    private EvaluationResultDTO finish(TestSetClassification.Answers got, EvaluationRunDTO run, String model,
            String adapter) throws TuningException {
        EvaluationReportDTO report;
        try {
            report = services.evaluation().evaluate(labels, got.expected(), got.predicted(), run);
        } catch (IllegalArgumentException e) {
            throw new TuningException(testFile + ": " + e.getMessage(), e);
        }
        report.run.predictMillis = got.millis();
        Path json = output.resolve(REPORT_JSON);
        Path html = output.resolve(REPORT_HTML);
        Path predictions = output.resolve(PREDICTIONS);
        try {
            Files.createDirectories(output);
            CheckpointStore.writeAtomically(predictions, predictions(got));
            services.evaluation().writeJson(report, json);
            services.evaluation().writeHtml(report, html);
        } catch (IOException e) {
            throw new TuningException(output + ": cannot write the report: " + e.getMessage(), e);
        }
        EvaluationResultDTO r = new EvaluationResultDTO();
        r.task = task.id;
        r.model = model;
        r.adapter = adapter;
        r.test = testFile.toString();
        r.testSamples = fileSamples;
        r.samples = report.samples;
        r.selection = selection;
        r.correct = report.correct;
        r.invalid = report.invalid;
        r.accuracy = report.accuracy;
        r.macroF1 = report.macro.f1;
        r.weightedF1 = report.weighted.f1;
        r.predictMillis = got.millis();
        r.samplesPerSecond = got.nanos() > 0 ? report.samples * 1e9 / got.nanos() : 0;
        r.reportJson = json.toString();
        r.reportHtml = html.toString();
        r.predictions = predictions.toString();
        return r;
    }

    /** One JSON line per sample: its line in the test file, expected and predicted label, score. */
    private byte[] predictions(TestSetClassification.Answers got) {
        Set<String> known = new java.util.HashSet<>(labels);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < samples.size(); i++) {
            ObjectNode n = DatasetFile.JSON.createObjectNode();
            String predicted = got.predicted().get(i);
            n.put("line", samples.get(i).line());
            n.put("expected", got.expected().get(i));
            n.put("predicted", predicted);
            n.put("score", got.scores().get(i));
            n.put("correct", got.expected().get(i).equals(predicted));
            n.put("invalid", predicted == null || !known.contains(predicted));
            out.append(n).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void progress(long done, long total, long nanos) {
        if (listener == null) {
            return;
        }
        TuningProgressDTO p = new TuningProgressDTO();
        p.phase = PHASE;
        p.loss = Double.NaN;
        p.elapsedMillis = nanos / 1_000_000L;
        RunProgress.fillSamples(p, done, total, nanos);
        listener.progress(p);
    }

    private static String ids(TaskRegistry registry) {
        List<String> ids = new ArrayList<>();
        registry.tasks().forEach(t -> ids.add(t.id));
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}

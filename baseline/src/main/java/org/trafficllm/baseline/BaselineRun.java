package org.trafficllm.baseline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trafficllm.api.eval.EvaluationService;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;

/**
 * Reads a dataset's train and test files, trains one baseline, predicts the test
 * set and writes the evaluation report ({@code <model>.json}, {@code <model>.html})
 * through the evaluation service, and each test sample's answer
 * ({@code <model>.predictions.jsonl}).
 */
public final class BaselineRun {
    public static final List<String> MODELS = List.of("rf", "gbt", "linear");
    /** Suffix of the per-sample predictions file beside the report: {@code <model>.predictions.jsonl}. */
    public static final String PREDICTIONS = ".predictions.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EvaluationService evaluation;
    private final DatasetFile files = new DatasetFile();

    public BaselineRun(EvaluationService evaluation) {
        this.evaluation = evaluation;
    }

    public EvaluationReportDTO run(BaselineOptions options, ProgressListener progress) throws BaselineException {
        BaselineModel model = model(options);
        DatasetDescription description = DatasetDescription.of(options.train, options.labels);
        List<TrafficSample> train = files.read(options.train, progress);
        List<TrafficSample> test = files.read(options.test, progress);
        List<String> labels = labels(options, description, train, test);
        List<String> classes = new ArrayList<>(labels);
        Set<String> trained = labelsOf(train);
        classes.retainAll(trained);

        long start = System.nanoTime();
        model.train(train, classes, progress);
        long trainMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        List<String> predicted = model.predict(test, progress);
        long predictMillis = (System.nanoTime() - start) / 1_000_000;

        EvaluationRunDTO run = new EvaluationRunDTO();
        run.dataset = first(options.dataset, description.dataset, options.test.getFileName().toString());
        run.split = first(options.split, description.split, null);
        run.masking = first(options.masking, description.masking, null);
        run.task = first(options.task, description.task, null);
        run.model = options.model;
        run.trainSamples = train.size();
        run.testSamples = test.size();
        run.trainMillis = trainMillis;
        run.predictMillis = predictMillis;
        run.notes = model.description() + "; train " + options.train.getFileName() + ", test "
                + options.test.getFileName() + (options.command == null ? "" : "; command: " + options.command);
        List<String> expected = new ArrayList<>(test.size());
        for (TrafficSample sample : test) {
            expected.add(sample.label());
        }
        EvaluationReportDTO report = evaluation.evaluate(labels, expected, predicted, run);
        Path json = options.out.resolve(options.model + ".json");
        try {
            evaluation.writeJson(report, json);
            evaluation.writeHtml(report, options.out.resolve(options.model + ".html"));
            writePredictions(test, predicted, options.out.resolve(options.model + PREDICTIONS));
        } catch (IOException e) {
            throw new BaselineException(TreeEnsemble.firstLine(e.getMessage()), e);
        }
        return report;
    }

    /**
     * One JSON line per test sample, as {@code tllm:eval} writes them: its line in the
     * test file, the expected and the predicted label, whether they agree.
     */
    private static void writePredictions(List<TrafficSample> test, List<String> predicted, Path file)
            throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < test.size(); i++) {
            ObjectNode n = JSON.createObjectNode();
            n.put("line", test.get(i).line());
            n.put("expected", test.get(i).label());
            n.put("predicted", predicted.get(i));
            n.put("correct", test.get(i).label().equals(predicted.get(i)));
            out.append(n).append('\n');
        }
        Files.writeString(file, out, StandardCharsets.UTF_8);
    }

    static BaselineModel model(BaselineOptions options) throws BaselineException {
        switch (options.model == null ? "" : options.model) {
        case "rf":
            return new TreeEnsemble(TreeEnsemble.Kind.RANDOM_FOREST, options.trees, options.bytes, options.threads,
                    options.seed);
        case "gbt":
            return new TreeEnsemble(TreeEnsemble.Kind.GRADIENT_BOOSTING, options.trees, options.bytes,
                    options.threads, options.seed);
        case "linear":
            return new LinearText(options.ngramMin, options.ngramMax, options.hashBits, options.cost);
        default:
            throw new BaselineException("--model: '" + options.model + "' is none of " + String.join(", ", MODELS));
        }
    }

    /**
     * The report's label set: the label file's, else the train file's labels sorted.
     * Every train label must be in the label file, and every test label must have
     * been seen in training (a class without training samples cannot be learnt, so
     * its figures would say nothing about the model).
     */
    private static List<String> labels(BaselineOptions options, DatasetDescription description,
            List<TrafficSample> train, List<TrafficSample> test) throws BaselineException {
        List<String> labels = labelSet(options.train, description, train);
        Set<String> trained = labelsOf(train);
        Map<String, Integer> unseen = new TreeMap<>();
        int firstLine = 0;
        for (TrafficSample sample : test) {
            if (!trained.contains(sample.label())) {
                if (unseen.isEmpty()) {
                    firstLine = sample.line();
                }
                unseen.merge(sample.label(), 1, Integer::sum);
            }
        }
        if (!unseen.isEmpty()) {
            StringBuilder message = new StringBuilder(options.test + ":" + firstLine + ": labels not seen in "
                    + options.train.getFileName() + ":");
            unseen.forEach((label, count) -> message.append(' ').append(label).append(" (").append(count)
                    .append(count == 1 ? " sample)" : " samples)"));
            throw new BaselineException(message.toString());
        }
        return labels;
    }

    /** The label file's labels in its order, else the training labels sorted; every training label must be in it. */
    static List<String> labelSet(Path trainFile, DatasetDescription description, List<TrafficSample> train)
            throws BaselineException {
        Set<String> trained = labelsOf(train);
        List<String> labels = description.labels == null ? new ArrayList<>(new TreeSet<>(trained))
                : description.labels;
        Set<String> outside = new TreeSet<>(trained);
        outside.removeAll(labels);
        if (!outside.isEmpty()) {
            throw new BaselineException(trainFile + ": labels not in " + description.labelFile + ": "
                    + String.join(", ", outside));
        }
        return labels;
    }

    private static Set<String> labelsOf(List<TrafficSample> samples) {
        Set<String> labels = new LinkedHashSet<>();
        for (TrafficSample sample : samples) {
            labels.add(sample.label());
        }
        return labels;
    }

    private static String first(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }
}

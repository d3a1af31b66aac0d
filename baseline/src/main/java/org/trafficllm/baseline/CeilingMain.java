package org.trafficllm.baseline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.baseline.CommandLine.UsageException;
import org.trafficllm.eval.impl.ClassificationReportService;

/**
 * Command line: {@code CeilingMain --train x_train.jsonl --test x_test.jsonl
 * [--predictions NAME=FILE]...}. Prints, as Markdown, which test samples are opaque
 * (their bytes look random: {@link OpaqueSamples}), how their signatures mix the
 * classes, the macro-F1 a classifier can reach at best when it cannot read random
 * bytes ({@link Ceiling}), and where each given set of predictions loses. On bad
 * input prints one line naming the input and the place and exits 1 (2 for a bad
 * command line).
 */
public final class CeilingMain {
    static final String USAGE = String.join("\n",
            "usage: CeilingMain --train FILE --test FILE [--predictions NAME=FILE]... [options]",
            "",
            "Finds the test samples whose every packet looks uniformly random (ciphertext or compressed",
            "data; only TLS record headers in front of encrypted records stay readable), groups them by",
            "what a classifier can still see (packet count, packet lengths, TLS record headers), and",
            "prints as Markdown how those groups mix the classes and the macro-F1 reachable at best when",
            "random bytes tell nothing of the class: every readable test sample right and each group",
            "answered with its training majority, or with the one label the test labels favour (oracle).",
            "",
            "options:",
            "  --predictions NAME=FILE  predictions on the test file, JSON Lines with \"line\" (the test",
            "                           file's line) and \"predicted\": tllm:eval's predictions.jsonl or",
            "                           BaselineMain's <model>.predictions.jsonl; repeatable",
            "  --labels FILE            label file (label -> index); default: the dataset's N_label.json beside --train",
            "  --min-bytes N            random-looking bytes a packet needs to be judged at all (256)",
            "  --margin BITS            how far below uniform bytes' entropy a packet may be (0.2)",
            "  --out FILE               also write the Markdown to FILE",
            "  --help                   this text");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CeilingMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options o = new Options();
        try {
            boolean go = CommandLine.parse(args, Map.of(), (flag, value) -> {
                switch (flag) {
                case "--train" -> o.train = Path.of(value);
                case "--test" -> o.test = Path.of(value);
                case "--labels" -> o.labels = Path.of(value);
                case "--out" -> o.out = Path.of(value);
                case "--min-bytes" -> o.minBytes = CommandLine.between(flag, value, 16, Integer.MAX_VALUE);
                case "--margin" -> o.margin = margin(value);
                case "--predictions" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0 || eq == value.length() - 1) {
                        throw new UsageException("--predictions: '" + value + "' is not NAME=FILE");
                    }
                    if (o.predictions.put(value.substring(0, eq), Path.of(value.substring(eq + 1))) != null) {
                        throw new UsageException("--predictions: the name '" + value.substring(0, eq)
                                + "' is given twice");
                    }
                }
                default -> throw new UsageException(flag + ": unknown option (see --help)");
                }
            });
            if (!go) {
                out.println(USAGE);
                return 0;
            }
            CommandLine.require(o.train, "--train");
            CommandLine.require(o.test, "--test");
        } catch (UsageException e) {
            err.println("ceiling: " + e.getMessage());
            return 2;
        }
        try {
            String report = report(o.train, o.test, o.labels, o.predictions, new OpaqueSamples(o.minBytes, o.margin));
            out.print(report);
            if (o.out != null) {
                try {
                    Files.writeString(o.out, report, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new BaselineException(o.out + ": cannot write: " + e.getMessage(), e);
                }
            }
            return 0;
        } catch (BaselineException e) {
            err.println("ceiling: " + e.getMessage());
            return 1;
        }
    }

    static String report(Path trainFile, Path testFile, Path labelFile, Map<String, Path> predictionFiles,
            OpaqueSamples opaque) throws BaselineException {
        DatasetFile files = new DatasetFile();
        ProgressListener quiet = (phase, done, total) -> {
        };
        DatasetDescription description = DatasetDescription.of(trainFile, labelFile);
        List<TrafficSample> train = files.read(trainFile, quiet);
        List<TrafficSample> test = files.read(testFile, quiet);
        List<String> labels = BaselineRun.labelSet(trainFile, description, train);
        for (TrafficSample s : test) {
            if (!labels.contains(s.label())) {
                throw new BaselineException(testFile + ":" + s.line() + ": label '" + s.label() + "' is not "
                        + (description.labels != null ? "in " + description.labelFile : "a training label"));
            }
        }
        Map<String, List<String>> predicted = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : predictionFiles.entrySet()) {
            predicted.put(e.getKey(), readPredictions(e.getValue(), test, testFile));
        }
        Ceiling ceiling = new Ceiling(new ClassificationReportService(), labels, train, test, opaque);

        StringBuilder md = new StringBuilder();
        md.append("# What the bytes allow: ").append(testFile.getFileName()).append("\n\n");
        md.append(String.format(Locale.ROOT,
                "Opaque samples (every packet random-looking bytes, at least %d of them, only TLS record headers "
                        + "readable): %d of %d test samples (%.1f %%), %d of %d training samples.%n%n",
                opaque.minBytes(), ceiling.opaqueTestSamples(), ceiling.testSamples(),
                100.0 * ceiling.opaqueTestSamples() / ceiling.testSamples(), ceiling.opaqueTrainSamples(),
                train.size()));
        List<Ceiling.Group> groups = ceiling.groups();
        List<Ceiling.Group> mixed = groups.stream().filter(Ceiling.Group::mixed).toList();
        md.append("Signatures that hold more than one class (test or training samples):\n\n");
        md.append("| signature | test samples by class | training samples by class | training majority |");
        predicted.keySet().forEach(name -> md.append(' ').append(name).append(" right |"));
        md.append("\n|---|---|---|---|");
        predicted.keySet().forEach(name -> md.append("---|"));
        md.append('\n');
        for (Ceiling.Group g : mixed) {
            md.append("| ").append(g.signature()).append(" | ").append(counts(g.test(), labels)).append(" | ")
                    .append(g.train().isEmpty() ? "none" : counts(g.train(), labels)).append(" | ")
                    .append(g.majority() == null ? "—" : g.majority() + " (" + g.test().getOrDefault(g.majority(), 0)
                            + " of " + g.testSamples() + " right)")
                    .append(" |");
            for (List<String> p : predicted.values()) {
                md.append(' ').append(rightIn(ceiling, p, g.signature())).append(" |");
            }
            md.append('\n');
        }
        if (mixed.isEmpty()) {
            md.append("| none | | | |").append(" |".repeat(predicted.size())).append('\n');
        }
        int single = groups.size() - mixed.size();
        md.append(String.format(Locale.ROOT, "%nOther opaque signatures: %d, each of one class only (%d test samples).%n%n",
                single, groups.stream().filter(g -> !g.mixed()).mapToInt(Ceiling.Group::testSamples).sum()));

        List<String> majority = ceiling.majorityAnswers();
        md.append("Reachable at best (every readable test sample right):\n\n");
        md.append("| opaque samples answered | accuracy | macro-F1 |\n|---|---|---|\n");
        EvaluationReportDTO byMajority = ceiling.score(majority);
        EvaluationReportDTO byOracle = ceiling.score(ceiling.oracleAnswers());
        md.append(String.format(Locale.ROOT, "| by their signature's training majority | %.4f | %.4f |%n",
                byMajority.accuracy, byMajority.macro.f1));
        md.append(String.format(Locale.ROOT, "| by the one label per signature the test labels favour (oracle) | %.4f | %.4f |%n",
                byOracle.accuracy, byOracle.macro.f1));
        if (!predicted.isEmpty()) {
            md.append("\nThe given predictions:\n\n");
            md.append("| predictions | macro-F1 | accuracy on readable samples | accuracy on opaque samples "
                    + "(training majority: ")
                    .append(percent(ceiling.accuracyOn(majority, true))).append(") | macro-F1, opaque samples by "
                            + "the training majority | macro-F1, every readable sample right |\n|---|---|---|---|---|---|\n");
            for (Map.Entry<String, List<String>> e : predicted.entrySet()) {
                List<String> p = e.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %.4f | %s | %s | %.4f | %.4f |%n", e.getKey(),
                        ceiling.macroF1(p), percent(ceiling.accuracyOn(p, false)),
                        percent(ceiling.accuracyOn(p, true)), ceiling.macroF1(ceiling.withMajorityOnOpaque(p)),
                        ceiling.macroF1(ceiling.withReadableRight(p))));
            }
        }
        return md.toString();
    }

    private static String counts(Map<String, Integer> counts, List<String> labels) {
        return labels.stream().filter(counts::containsKey).map(l -> l + " " + counts.get(l))
                .collect(Collectors.joining(", "));
    }

    private static String rightIn(Ceiling ceiling, List<String> predicted, String signature) {
        int n = 0;
        int right = 0;
        for (int i = 0; i < predicted.size(); i++) {
            if (signature.equals(ceiling.signatureOf(i))) {
                n++;
                right += ceiling.expected(i).equals(predicted.get(i)) ? 1 : 0;
            }
        }
        return right + " of " + n;
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "—" : String.format(Locale.ROOT, "%.4f", share);
    }

    /** One answer per test sample, by the test file's line; each sample needs exactly one. */
    static List<String> readPredictions(Path file, List<TrafficSample> test, Path testFile) throws BaselineException {
        Map<Integer, Integer> indexOfLine = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            indexOfLine.put(test.get(i).line(), i);
        }
        List<String> answers = new ArrayList<>(Collections.nCopies(test.size(), (String) null));
        int row = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                row++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new BaselineException(file + ":" + row + ": not JSON: " + e.getOriginalMessage());
                }
                JsonNode line = node == null ? null : node.get("line");
                if (line == null || !line.canConvertToInt()) {
                    throw new BaselineException(file + ":" + row + ": no \"line\" number");
                }
                Integer index = indexOfLine.get(line.asInt());
                if (index == null) {
                    throw new BaselineException(file + ":" + row + ": line " + line.asInt() + " is no sample of "
                            + testFile);
                }
                if (answers.get(index) != null) {
                    throw new BaselineException(file + ":" + row + ": a second prediction for line " + line.asInt());
                }
                JsonNode p = node.get("predicted");
                answers.set(index, p == null || p.isNull() ? "" : p.asText());
            }
        } catch (NoSuchFileException e) {
            throw new BaselineException(file + ": no such file");
        } catch (IOException e) {
            throw new BaselineException(file + ": cannot read: " + e.getMessage(), e);
        }
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i) == null) {
                throw new BaselineException(file + ": no prediction for line " + test.get(i).line() + " of "
                        + testFile);
            }
        }
        return answers;
    }

    private static double margin(String value) throws UsageException {
        try {
            double m = Double.parseDouble(value);
            if (m >= 0 && m <= 8) {
                return m;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--margin: '" + value + "' is not a number of bits between 0 and 8");
    }

    /** The command line's settings. */
    private static final class Options {
        Path train;
        Path test;
        Path labels;
        Path out;
        int minBytes = OpaqueSamples.MIN_BYTES;
        double margin = OpaqueSamples.MARGIN;
        final Map<String, Path> predictions = new LinkedHashMap<>();
    }
}

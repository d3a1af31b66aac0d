package org.trafficllm.baseline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.trafficllm.api.eval.EvaluationService;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;
import org.trafficllm.eval.impl.ClassificationReportService;

/**
 * Command line: {@code BaselineSummary REPORT.json...} prints one Markdown table of
 * evaluation reports, a row per report in the order given: what the run describes
 * (dataset, split, masking, model, sample counts, training time) and its accuracy,
 * macro-F1 and weighted-F1. The figures are the reports' own, so the table and the
 * JSON files never disagree.
 */
public final class BaselineSummary {
    static final String HEADER = "| dataset | split | masking | model | train / test | training time | accuracy"
            + " | macro-F1 | weighted-F1 | report |\n|---|---|---|---|---|---|---|---|---|---|";
    private final EvaluationService evaluation;

    BaselineSummary(EvaluationService evaluation) {
        this.evaluation = evaluation;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).println("usage: BaselineSummary REPORT.json...\n\n"
                    + "Prints a Markdown table of the evaluation reports, one row per report in the order given.");
            return args.length == 0 ? 2 : 0;
        }
        List<Path> reports = new ArrayList<>();
        for (String arg : args) {
            reports.add(Path.of(arg));
        }
        try {
            out.println(new BaselineSummary(new ClassificationReportService()).table(reports));
            return 0;
        } catch (BaselineException e) {
            err.println("baseline-summary: " + e.getMessage());
            return 1;
        }
    }

    /** The table; nothing is returned unless every report could be read. */
    String table(List<Path> reports) throws BaselineException {
        StringBuilder table = new StringBuilder(HEADER);
        for (Path file : reports) {
            EvaluationReportDTO report = read(file);
            EvaluationRunDTO run = report.run == null ? new EvaluationRunDTO() : report.run;
            table.append(String.format(Locale.ROOT, "%n| %s | %s | %s | %s | %s / %s | %s | %.4f | %.4f | %.4f | %s |",
                    cell(run.dataset), cell(run.split), cell(run.masking), cell(run.model), count(run.trainSamples),
                    count(run.testSamples), run.trainMillis < 0 ? "?"
                            : String.format(Locale.ROOT, "%.1f s", run.trainMillis / 1000.0),
                    report.accuracy, report.macro.f1, report.weighted.f1, cell(file.toString())));
        }
        return table.toString();
    }

    private EvaluationReportDTO read(Path file) throws BaselineException {
        if (!Files.isRegularFile(file)) {
            throw new BaselineException(file + ": no such file");
        }
        try {
            EvaluationReportDTO report = evaluation.readJson(file);
            // Unknown fields are tolerated when reading, so an unrelated JSON object reads as an empty report.
            if (report == null || report.samples <= 0 || report.labels == null || report.labels.isEmpty()
                    || report.macro == null || report.weighted == null) {
                throw new BaselineException(file + ": not an evaluation report (no samples, labels or averages)");
            }
            return report;
        } catch (IOException e) {
            throw new BaselineException(file + ": not an evaluation report: " + TreeEnsemble.firstLine(e.getMessage()),
                    e);
        }
    }

    /** Markdown cells cannot hold a bar or a line break. */
    private static String cell(String text) {
        return text == null ? "?" : text.replace("|", "\\|").replace('\n', ' ');
    }

    private static String count(long n) {
        return n < 0 ? "?" : String.format(Locale.ROOT, "%,d", n);
    }
}

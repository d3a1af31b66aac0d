package org.trafficllm.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;
import org.trafficllm.eval.impl.ClassificationReportService;

/** The Markdown table of evaluation reports: one row per report, in order, with the reports' own figures. */
class BaselineSummaryTest {
    private final ClassificationReportService evaluation = new ClassificationReportService();

    @TempDir
    Path folder;

    @Test
    void oneRowPerReportInTheOrderGiven() throws IOException {
        Path perfect = write("linear.json", report("csic-2010 (csic-2010, packet, http-request)", "group split", "linear",
                List.of("normal", "abnormal", "abnormal", "normal")));
        Path half = write("rf.json", report("a|b", "sample split", "rf", List.of("normal", "normal", "normal", "normal")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = BaselineSummary.run(new String[] {half.toString(), perfect.toString()}, print(out), print(err));

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).strip().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(String.join("\n", lines.subList(0, 2))).isEqualTo(BaselineSummary.HEADER);
        // rf: every answer "normal", expected two of each: accuracy 0.5, F1 normal 2/3, abnormal 0
        assertThat(lines.get(2)).isEqualTo("| a\\|b | sample split | masked | rf | 8,000 / 4 | 12.3 s | 0.5000 | 0.3333"
                + " | 0.3333 | " + half + " |");
        assertThat(lines.get(3)).startsWith("| csic-2010 (csic-2010, packet, http-request) | group split | masked | linear"
                + " | 8,000 / 4 | 12.3 s | 1.0000 | 1.0000 | 1.0000 |");
    }

    @Test
    void aFileThatIsNoReportIsNamedAndNothingIsPrinted() throws IOException {
        Path good = write("gbt.json", report("d", "s", "gbt", List.of("normal", "abnormal", "abnormal", "normal")));
        Path bad = folder.resolve("task.json");
        Files.writeString(bad, "{\"task\": \"WAD\"}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(BaselineSummary.run(new String[] {good.toString(), bad.toString()}, print(out), print(err)))
                .isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("baseline-summary: " + bad + ": not an evaluation report")
                .hasLineCount(1);
        assertThat(BaselineSummary.run(new String[] {folder.resolve("none.json").toString()}, print(out), print(err)))
                .isEqualTo(1);
        assertThat(BaselineSummary.run(new String[0], print(out), print(err))).as("usage").isEqualTo(2);
    }

    private EvaluationReportDTO report(String dataset, String split, String model, List<String> predicted) {
        EvaluationRunDTO run = new EvaluationRunDTO();
        run.dataset = dataset;
        run.split = split;
        run.masking = "masked";
        run.model = model;
        run.trainSamples = 8000;
        run.testSamples = 4;
        run.trainMillis = 12_345;
        return evaluation.evaluate(List.of("normal", "abnormal"), List.of("normal", "abnormal", "abnormal", "normal"),
                predicted, run);
    }

    private Path write(String name, EvaluationReportDTO report) throws IOException {
        Path file = folder.resolve(name.toLowerCase(Locale.ROOT));
        evaluation.writeJson(report, file);
        return file;
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}

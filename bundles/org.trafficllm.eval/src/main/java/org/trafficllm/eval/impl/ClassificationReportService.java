package org.trafficllm.eval.impl;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.eval.EvaluationService;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;

/** The evaluation service: metrics over a confusion matrix, JSON and HTML reports. */
@Component(service = EvaluationService.class)
public class ClassificationReportService implements EvaluationService {
    private final ReportFiles files = new ReportFiles();
    private final HtmlReport html = new HtmlReport(new ChartLibrary(ClassificationReportService.class.getClassLoader()),
            files);

    @Override
    public EvaluationReportDTO evaluate(List<String> labels, List<String> expected, List<String> predicted,
            EvaluationRunDTO run) {
        if (labels == null || expected == null || predicted == null) {
            throw new IllegalArgumentException("labels, expected and predicted are all needed");
        }
        long start = System.nanoTime();
        EvaluationReportDTO report = ClassificationMetrics.compute(labels, expected, predicted);
        report.run = run == null ? new EvaluationRunDTO() : run;
        report.created = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        report.evaluationMillis = (System.nanoTime() - start) / 1_000_000;
        return report;
    }

    @Override
    public String labelOf(String answer, List<String> labels) {
        return TrafficLlmAnswerRule.labelOf(answer, labels);
    }

    @Override
    public void writeJson(EvaluationReportDTO report, Path file) throws IOException {
        String text = files.toJson(report);
        ReportFiles.write(file, out -> out.write(text));
    }

    @Override
    public EvaluationReportDTO readJson(Path file) throws IOException {
        return files.fromJson(file);
    }

    @Override
    public void writeHtml(EvaluationReportDTO report, Path file) throws IOException {
        ReportFiles.write(file, out -> html.write(report, out));
    }
}

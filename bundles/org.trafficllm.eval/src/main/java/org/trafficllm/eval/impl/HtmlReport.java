package org.trafficllm.eval.impl;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

import org.trafficllm.api.eval.dto.ClassMetricsDTO;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;

/**
 * One self-contained HTML page per report. The numbers are also in plain tables, so
 * the page says everything without JavaScript; the charts read the report from an
 * inline JSON element. Every text that came from outside (labels, run description,
 * invalid answers) is escaped for the context it lands in.
 */
final class HtmlReport {
    private final ChartLibrary library;
    private final ReportFiles files;

    HtmlReport(ChartLibrary library, ReportFiles files) {
        this.library = library;
        this.files = files;
    }

    void write(EvaluationReportDTO report, Writer out) throws IOException {
        EvaluationRunDTO run = report.run == null ? new EvaluationRunDTO() : report.run;
        String title = "Evaluation: " + orUnknown(run.model) + " on " + orUnknown(run.dataset);
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
        out.write(escape(title));
        out.write("</title>\n<style>\n");
        out.write(library.stylesheet());
        out.write("</style>\n</head>\n<body>\n<h1>");
        out.write(escape(title));
        out.write("</h1>\n");

        out.write("<table class=\"summary\">\n");
        row(out, "accuracy", number(report.accuracy));
        row(out, "macro F1", number(report.macro.f1));
        row(out, "weighted F1", number(report.weighted.f1));
        row(out, "macro precision / recall", number(report.macro.precision) + " / " + number(report.macro.recall));
        row(out, "weighted precision / recall",
                number(report.weighted.precision) + " / " + number(report.weighted.recall));
        row(out, "samples", report.samples + " (" + report.correct + " correct, " + report.invalid
                + " invalid answers)");
        row(out, "classes", String.valueOf(report.labels.size()));
        row(out, "undefined metrics set to 0", String.valueOf(report.undefinedMetrics));
        out.write("</table>\n<h2>Run</h2>\n<table class=\"run\">\n");
        row(out, "dataset", orUnknown(run.dataset));
        row(out, "split", orUnknown(run.split));
        row(out, "masking", orUnknown(run.masking));
        row(out, "task", orUnknown(run.task));
        row(out, "model", orUnknown(run.model));
        row(out, "adapter", run.adapter == null ? "none" : run.adapter);
        row(out, "train samples", count(run.trainSamples));
        row(out, "test samples", count(run.testSamples));
        row(out, "training time", millis(run.trainMillis));
        row(out, "prediction time", millis(run.predictMillis));
        row(out, "notes", run.notes == null ? "" : run.notes);
        row(out, "report made", orUnknown(report.created));
        row(out, "charts", "Apache ECharts " + library.version() + ", inlined");
        out.write("</table>\n");

        out.write("<h2>Confusion matrix</h2>\n<p>Rows: expected label; columns: predicted label, then answers"
                + " outside the label set (invalid). Colour: share of the row.</p>\n<div id=\"confusion\" class=\"chart\">"
                + "</div>\n<h2>Per class</h2>\n<div id=\"per-class\" class=\"chart\"></div>\n");
        out.write("<table class=\"classes\">\n<thead><tr><th>label</th><th>support</th><th>predicted</th>"
                + "<th>correct</th><th>precision</th><th>recall</th><th>F1</th></tr></thead>\n<tbody>\n");
        for (ClassMetricsDTO m : report.perClass) {
            out.write("<tr><td>");
            out.write(escape(m.label));
            out.write("</td><td>" + m.support + "</td><td>" + m.predicted + "</td><td>" + m.truePositives + "</td>");
            out.write(metricCell(m.precision, m.precisionUndefined));
            out.write(metricCell(m.recall, m.recallUndefined));
            out.write(metricCell(m.f1, m.f1Undefined));
            out.write("</tr>\n");
        }
        out.write("</tbody>\n</table>\n<p class=\"note\">* undefined (zero denominator), reported as 0.</p>\n");
        if (!report.invalidExamples.isEmpty()) {
            out.write("<h2>Invalid answers (first " + report.invalidExamples.size() + " distinct)</h2>\n<ul>\n");
            for (String answer : report.invalidExamples) {
                out.write("<li><code>");
                out.write(escape(answer));
                out.write("</code></li>\n");
            }
            out.write("</ul>\n");
        }
        out.write("<script type=\"application/json\" id=\"report-data\">");
        out.write(files.toScriptJson(report));
        out.write("</script>\n<script>\n");
        out.write(library.script());
        out.write("\n</script>\n<script>\n");
        out.write(library.reportScript());
        out.write("\n</script>\n</body>\n</html>\n");
    }

    private static void row(Writer out, String name, String value) throws IOException {
        out.write("<tr><th>");
        out.write(escape(name));
        out.write("</th><td>");
        out.write(escape(value));
        out.write("</td></tr>\n");
    }

    private static String metricCell(double value, boolean undefined) {
        return "<td>" + number(value) + (undefined ? "*" : "") + "</td>";
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String count(long value) {
        return value < 0 ? "unknown" : String.valueOf(value);
    }

    private static String millis(long value) {
        return value < 0 ? "not measured" : String.format(Locale.ROOT, "%.3f s", value / 1000.0);
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? "unknown" : value;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
            case '&':
                out.append("&amp;");
                break;
            case '<':
                out.append("&lt;");
                break;
            case '>':
                out.append("&gt;");
                break;
            case '"':
                out.append("&quot;");
                break;
            case '\'':
                out.append("&#39;");
                break;
            default:
                out.append(c);
            }
        }
        return out.toString();
    }
}

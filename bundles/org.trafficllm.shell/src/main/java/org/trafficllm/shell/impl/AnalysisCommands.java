package org.trafficllm.shell.impl;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.task.DetectionListener;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TrafficAnalyzer;
import org.trafficllm.api.task.dto.AnalysisProgressDTO;
import org.trafficllm.api.task.dto.AskAnswerDTO;
import org.trafficllm.api.task.dto.DetectionDTO;
import org.trafficllm.api.task.dto.DetectionReportDTO;
import org.trafficllm.api.task.dto.DetectionRequestDTO;
import org.trafficllm.api.task.dto.RouteDTO;
import org.trafficllm.api.task.dto.TaskAnswerDTO;

/** {@code tllm:detect} and {@code tllm:ask}: questions about traffic. */
@Component(service = AnalysisCommands.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=detect",
        "osgi.command.function=ask" })
public class AnalysisCommands {
    private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

    private final TrafficAnalyzer analyzer;

    @Activate
    public AnalysisCommands(@Reference TrafficAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** Gogo matches options before positional arguments, so the capture comes last in the signature. */
    @Descriptor("classify every packet or flow of a capture with a task, or with the task a question routes to")
    public String detect(
            @Descriptor("detection task id or name") @Parameter(names = {"--task", "-t"}, absentValue = "") String task,
            @Descriptor("question in plain language; the router picks the task") @Parameter(names = "--ask",
                    absentValue = "") String ask,
            @Descriptor("packet or flow (default: the task's)") @Parameter(names = "--granularity", absentValue = "")
            String granularity,
            @Descriptor("JSON Lines file for the verdicts") @Parameter(names = "--out", absentValue = "") String out,
            @Descriptor("samples per model request") @Parameter(names = "--batch", absentValue = "16") int batch,
            @Descriptor("print the summary only, not one row per sample") @Parameter(names = "--summary",
                    presentValue = "true", absentValue = "false") boolean summaryOnly,
            @Descriptor("capture file (pcap or pcapng)") String capture)
            throws TaskException {
        DetectionRequestDTO request = new DetectionRequestDTO();
        request.capture = capture;
        request.task = task.isBlank() ? null : task;
        request.ask = ask.isBlank() ? null : ask;
        try {
            request.granularity = granularity.isBlank() ? null : Granularity.of(granularity);
        } catch (IllegalArgumentException e) {
            throw new TaskException("detect: " + e.getMessage(), e);
        }
        request.out = out.isBlank() ? null : out;
        request.batchSize = batch;
        TextTable rows = new TextTable("#", "LABEL", "SCORE", "VERSION", "ENDPOINTS");
        PrintStream err = System.err;
        // Progress is for a person watching a terminal, not for output that is redirected or parsed.
        boolean showProgress = System.console() != null;
        DetectionReportDTO report = analyzer.detect(request, new DetectionListener() {
            private long last = System.nanoTime();

            @Override
            public void detection(DetectionDTO d) {
                if (!summaryOnly) {
                    rows.row(d.index, d.label, String.format(Locale.ROOT, "%.3f", d.score), d.taskVersion,
                            d.endpoints + (d.truncated ? " (text cut)" : ""));
                }
            }

            @Override
            public void progress(AnalysisProgressDTO p) {
                long now = System.nanoTime();
                if (showProgress && now - last >= PROGRESS_EVERY_NANOS) {
                    last = now;
                    err.printf(Locale.ROOT, "detect: %d classified, %d packets read, %d%% of %s, %.1f/s%s%n",
                            p.samplesDone, p.packetsRead, p.bytesTotal > 0 ? p.bytesDone * 100 / p.bytesTotal : 0,
                            p.capture, p.samplesPerSecond, p.etaMillis >= 0 ? ", about " + p.etaMillis / 1000
                                    + " s to go" : "");
                }
            }
        });
        StringBuilder text = new StringBuilder();
        text.append("capture  ").append(report.capture).append('\n');
        text.append("task     ").append(report.task).append(" (").append(report.taskName).append(")");
        if (report.route != null) {
            text.append(String.format(Locale.ROOT, ", routed from \"%s\" with p=%.3f by %s %s", report.route.instruction,
                    report.route.score, report.route.router, report.route.routerVersion));
        }
        text.append('\n');
        if (!summaryOnly && rows.size() > 0) {
            text.append(rows).append('\n');
        }
        text.append(String.format(Locale.ROOT, "%d %ss classified, %d skipped (no %s text), %d packets read, %.1f s%n",
                report.samples, report.granularity.word(), report.skipped, report.granularity.word(), report.packets,
                report.elapsedMillis / 1000.0));
        TextTable summary = new TextTable("LABEL", "COUNT", "MEAN SCORE");
        for (Map.Entry<String, Long> e : report.labels.entrySet()) {
            if (e.getValue() > 0) {
                summary.row(e.getKey(), e.getValue(), String.format(Locale.ROOT, "%.3f", report.meanScores.get(e.getKey())));
            }
        }
        if (summary.size() > 0) {
            text.append(summary).append('\n');
        }
        if (report.versions.size() > 1) {
            text.append("answered by versions ").append(report.versions).append('\n');
        }
        if (report.out != null) {
            text.append("verdicts written to ").append(report.out).append('\n');
        }
        return text.toString().stripTrailing();
    }

    @Descriptor("answer a TrafficLLM-style prompt: an instruction, then <packet>: or <flow>: and the traffic text")
    public String ask(@Descriptor("the prompt") String prompt) throws TaskException {
        AskAnswerDTO a = analyzer.ask(prompt);
        RouteDTO r = a.route;
        TaskAnswerDTO t = a.answer;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "task     %s (%s), p=%.3f, chosen by %s %s%n", r.taskName, r.task, r.score,
                r.router, r.routerVersion));
        if (t.text != null) {
            out.append("answer   ").append(t.text.strip()).append('\n');
            out.append("         generated by ").append(t.task).append(' ').append(t.version).append(" for ")
                    .append(t.label);
        } else {
            out.append(String.format(Locale.ROOT, "answer   %s, p=%.3f (%s %s%s)", t.label, t.score, t.task, t.version,
                    t.truncated ? ", traffic text cut to fit" : ""));
        }
        return out.toString().stripTrailing();
    }
}

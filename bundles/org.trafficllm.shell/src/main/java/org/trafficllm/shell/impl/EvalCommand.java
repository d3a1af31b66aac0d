package org.trafficllm.shell.impl;

import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.TuningService;
import org.trafficllm.api.tuning.dto.EvaluationRequestDTO;
import org.trafficllm.api.tuning.dto.EvaluationResultDTO;

/**
 * {@code tllm:eval}: TrafficLLM's evaluation step. Classifies every sample of a test
 * file with an adapter directory over a base model, or with an installed task, and
 * writes the evaluation report (JSON, HTML with charts) and every answer. Accepts
 * TrafficLLM's parameter names beside the short ones.
 */
@Component(service = EvalCommand.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=eval" })
public class EvalCommand {
    private final TuningService tuning;

    @Activate
    public EvalCommand(@Reference TuningService tuning) {
        this.tuning = tuning;
    }

    @Descriptor("evaluate an adapter directory (or, without --adapter, an installed task) on every sample of a test "
            + "file: accuracy, per-class and macro/weighted F1, confusion matrix; report.json, report.html, "
            + "predictions.jsonl")
    public String eval(
            @Descriptor("test file (JSON Lines of instruction, output)") @Parameter(names = {"--test", "--test_file"}, absentValue = "") String test,
            @Descriptor("adapter directory (adapter_config.json, adapter_model.safetensors, task.json); absent: the installed task answers") @Parameter(names = {"--adapter", "--ptuning_checkpoint", "--ptuning_path"}, absentValue = "") String adapter,
            @Descriptor("base model name or model directory (default: the adapter's base_model_name_or_path)") @Parameter(names = {"--base", "--model_name_or_path", "--model_name"}, absentValue = "") String base,
            @Descriptor("task id or name, e.g. MTD (default: the adapter's task.json)") @Parameter(names = "--task", absentValue = "") String task,
            @Descriptor("TrafficLLM's task kind (detection) or a task id") @Parameter(names = "--traffic_task", absentValue = "") String trafficTask,
            @Descriptor("label file (label -> index): the report's label set; answers outside it are invalid") @Parameter(names = {"--labels", "--label_file"}, absentValue = "") String labels,
            @Descriptor("packet or flow: the samples' <packet>:/<flow>: marker (default: the dataset's task file beside the test file, else the task's)") @Parameter(names = "--granularity", absentValue = "") String granularity,
            @Descriptor("task descriptor file (default: the adapter's or the installed task's task.json)") @Parameter(names = "--task-file", absentValue = "") String taskFile,
            @Descriptor("directory for report.json, report.html, predictions.jsonl (default: eval-<test file stem>)") @Parameter(names = {"--out", "--output_dir"}, absentValue = "") String out,
            @Descriptor("evaluate a seeded draw of this many samples keeping each label's share; 0: every sample") @Parameter(names = "--limit", absentValue = "0") int limit,
            @Descriptor("seed of the --limit draw") @Parameter(names = "--seed", absentValue = "42") long seed,
            @Descriptor("samples classified per batch") @Parameter(names = "--batch", absentValue = "16") int batch,
            @Descriptor("dataset name for the report (default: the dataset builder's report beside the test file)") @Parameter(names = "--dataset", absentValue = "") String dataset,
            @Descriptor("seconds between progress lines") @Parameter(names = "--progress", absentValue = "10") int progressSeconds)
            throws TuningException {
        if (test.isBlank()) {
            throw new IllegalArgumentException("no test file: --test <file.jsonl> (or --test_file)");
        }
        EvaluationRequestDTO r = new EvaluationRequestDTO();
        r.test = test;
        r.adapter = TuneCommand.blankToNull(adapter);
        r.baseModel = TuneCommand.blankToNull(base);
        r.task = TuneCommand.blankToNull(task);
        if (!trafficTask.isBlank()) {
            String kind = trafficTask.trim().toLowerCase(Locale.ROOT);
            if (kind.equals("generation")) {
                throw new IllegalArgumentException("--traffic_task generation: eval scores classifications "
                        + "(detection tasks and the router), not generated traffic");
            }
            if (!kind.equals("detection")) {
                if (r.task != null && !r.task.equalsIgnoreCase(trafficTask)) {
                    throw new IllegalArgumentException("--task " + r.task + " and --traffic_task " + trafficTask
                            + " name different tasks");
                }
                r.task = trafficTask;
            }
        }
        r.labels = TuneCommand.blankToNull(labels);
        r.taskFile = TuneCommand.blankToNull(taskFile);
        r.granularity = granularity.isBlank() ? null : Granularity.of(granularity);
        r.output = TuneCommand.blankToNull(out);
        r.limit = limit;
        r.seed = seed;
        r.batchSize = batch;
        r.dataset = TuneCommand.blankToNull(dataset);
        TuningProgressPrinter printer = new TuningProgressPrinter("eval", System.err, progressSeconds * 1000L);
        return summary(tuning.evaluate(r, printer));
    }

    static String summary(EvaluationResultDTO r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "task         %s, %s%s%n", r.task, r.model,
                r.adapter == null ? " (installed task)" : ", adapter " + r.adapter));
        s.append(String.format(Locale.ROOT, "test         %s: %,d of %,d samples (%s)%n", r.test, r.samples,
                r.testSamples, r.selection));
        s.append(String.format(Locale.ROOT, "accuracy     %.4f (%,d correct, %,d invalid)%n", r.accuracy, r.correct,
                r.invalid));
        s.append(String.format(Locale.ROOT, "macro-F1     %.4f%n", r.macroF1));
        s.append(String.format(Locale.ROOT, "weighted-F1  %.4f%n", r.weightedF1));
        s.append(String.format(Locale.ROOT, "speed        %.1f samples/s (%s)%n", r.samplesPerSecond,
                TuningProgressPrinter.duration(r.predictMillis)));
        s.append("report       ").append(r.reportJson).append('\n');
        s.append("             ").append(r.reportHtml).append('\n');
        s.append("answers      ").append(r.predictions);
        return s.toString();
    }
}

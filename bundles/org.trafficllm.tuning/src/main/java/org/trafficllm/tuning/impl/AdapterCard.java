package org.trafficllm.tuning.impl;

import java.util.Locale;

import org.trafficllm.api.eval.dto.ClassMetricsDTO;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.api.tuning.dto.TuningResultDTO;
import org.trafficllm.api.tuning.dto.ValidationDTO;

/** The model card ({@code MODEL.md}) of a trained adapter: what it is, what it learned from, how well it does. */
final class AdapterCard {
    private AdapterCard() {
    }

    static String write(TuningRequestDTO r, TaskData data, TuningResultDTO result, EvaluationReportDTO test,
            LoopState st, long trainFileSamples, int cutSamples, long warmup) {
        StringBuilder md = new StringBuilder();
        String peft = r.peft.equals(AdapterTuningJob.LORA)
                ? String.format(Locale.ROOT, "LoRA, rank %d, alpha %s, on %s", r.loraRank,
                        AdapterTuningJob.trim(r.loraAlpha), String.join(", ", r.loraTargets))
                : String.format(Locale.ROOT, "prefix tuning (P-Tuning v2), %d virtual tokens per layer, no projection",
                        r.virtualTokens);
        md.append("# ").append(data.task.name).append(" (task ").append(data.task.id).append(")\n\n");
        md.append(r.stage == 1 ? "The stage-1 router adapter: it maps a natural-language request to the name of a task.\n\n"
                : "A stage-2 task adapter: it answers the task's prompt with one of its labels.\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "kind", data.task.kind.word());
        row(md, "base model", result.baseModel);
        row(md, "adapter", peft + String.format(Locale.ROOT, " (%,d trainable weights)", result.trainableParameters));
        if (r.initAdapter != null) {
            row(md, "started from", "the weights of `" + r.initAdapter + "` (continued, not a new adapter)");
        }
        row(md, "labels", data.labels.size() + " (" + data.labelSource + ")");
        row(md, "test accuracy", f4(result.testAccuracy));
        row(md, "test macro-F1", f4(result.testMacroF1));
        row(md, "test weighted-F1", f4(result.testWeightedF1));
        md.append('\n');

        md.append("## Data\n\n| | |\n|---|---|\n");
        row(md, "dataset", data.dataset);
        row(md, "split", data.split);
        row(md, "masking", data.masking);
        row(md, "train file", String.format(Locale.ROOT, "`%s` (%,d samples)", fileName(r.train), trainFileSamples));
        row(md, "used for training", String.format(Locale.ROOT, "%,d samples%s", result.trainSamples,
                r.trainLimit > 0 ? " (seeded draw of at most " + r.trainLimit + ", then validation held out)" : ""));
        row(md, "validation", String.format(Locale.ROOT, "%,d samples held out of the train file (a group on "
                + "one side: the dataset's split group, else identical instructions; share %s, at most %d)", result.validationSamples,
                AdapterTuningJob.trim(r.validationShare), r.validationLimit));
        row(md, "test", String.format(Locale.ROOT, "`%s`, %,d samples evaluated%s", fileName(r.test),
                result.testSamples, r.testLimit > 0 ? " (seeded per-class draw of at most " + r.testLimit + ")" : ""));
        row(md, "prompt", String.format(Locale.ROOT, "the task's templates through the prompt format "
                + "(`org.trafficllm.api.tuning.PromptFormat`); traffic cut to %d tokens (%,d training samples were cut)",
                r.trafficTokens, cutSamples));
        md.append('\n');

        md.append("## Training\n\n| | |\n|---|---|\n");
        row(md, "steps", String.format(Locale.ROOT, "%,d of %,d planned (%.2f epochs)%s", result.steps,
                result.plannedSteps, result.epochs, result.stoppedEarly ? ", stopped early (patience "
                        + r.patience + (r.minEpochs > 0 ? ", not before epoch " + AdapterTuningJob.trim(r.minEpochs) : "")
                        + ")" : ""));
        row(md, "batch", r.batchSize + " sequences x " + r.accumulation + " accumulated, length-bucketed"
                + (r.balance > 0 ? "; each class seen at least " + AdapterTuningJob.trim(r.balance)
                        + " x the largest class's count per epoch (smaller classes repeated)" : ""));
        row(md, "optimizer", String.format(Locale.ROOT, "AdamW (betas %s, %s, weight decay %s), clip %s; lr %s, "
                + "%d warm-up steps, %s decay to %s x", AdapterTuningJob.trim(r.schedule.beta1),
                AdapterTuningJob.trim(r.schedule.beta2), AdapterTuningJob.trim(r.schedule.weightDecay),
                AdapterTuningJob.trim(r.schedule.maxGradientNorm), AdapterTuningJob.trim(r.schedule.learningRate),
                warmup, r.schedule.decay, AdapterTuningJob.trim(r.schedule.minLearningRateRatio)));
        row(md, "loss", "on the answer tokens and EOS only");
        row(md, "seed", String.valueOf(r.seed));
        row(md, "time", String.format(Locale.ROOT, "%s training and validation (%,d tokens, %.0f tokens/s); best "
                + "validation after %s; test %s", duration(result.trainMillis), result.tokens, result.tokensPerSecond,
                duration(result.millisToBest), duration(result.testMillis)));
        md.append('\n');

        if (!st.curve.isEmpty()) {
            md.append("Training loss (mean per checkpoint interval) and validation:\n\n");
            md.append("| step | train loss | validation accuracy | validation macro-F1 |\n|---|---|---|---|\n");
            st.validations.stream().filter(x -> x.step == 0).findFirst().ifPresent(v -> md.append(String.format(
                    Locale.ROOT, "| 0 (the adapter continued from) | | %s | %s |%n", f4(v.accuracy), f4(v.macroF1))));
            for (double[] point : st.curve) {
                ValidationDTO v = st.validations.stream().filter(x -> x.step == (long) point[0]).findFirst()
                        .orElse(null);
                md.append(String.format(Locale.ROOT, "| %d | %.4f | %s | %s |%n", (long) point[0], point[1],
                        v == null ? "" : f4(v.accuracy), v == null ? "" : f4(v.macroF1) + (v.best ? " (kept)" : "")));
            }
            md.append(String.format(Locale.ROOT, "%nFirst step's loss %.4f.%n%n", st.firstLoss));
        }

        md.append("## Test metrics per class\n\n| label | support | precision | recall | F1 |\n|---|---|---|---|---|\n");
        for (ClassMetricsDTO c : test.perClass) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f |%n", c.label, c.support, c.precision,
                    c.recall, c.f1));
        }
        md.append(String.format(Locale.ROOT, "%n%d of %d test answers were correct, %d invalid. The full report with "
                + "the confusion matrix is `metrics.json`.%n", test.correct, test.samples, test.invalid));
        return md.toString();
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value == null ? "unknown" : value.replace("|", "\\|"))
                .append(" |\n");
    }

    private static String f4(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }

    private static String fileName(String path) {
        return path == null ? "?" : java.nio.file.Paths.get(path).getFileName().toString();
    }

    static String duration(long millis) {
        long s = Math.round(millis / 1000.0);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60)
                        : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}

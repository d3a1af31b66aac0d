package org.trafficllm.shell.impl;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.TuningService;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.api.tuning.dto.TuningResultDTO;
import org.trafficllm.api.tuning.dto.ValidationDTO;

/** {@code tllm:tune}: trains the router (stage 1) or a task adapter (stage 2) on this machine's CPU. */
@Component(service = TuneCommand.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=tune" })
public class TuneCommand {
    private final TuningService tuning;

    /** The adapter shape options' defaults: given any other value beside --from, they would be ignored. */
    private static final String DEFAULT_PEFT = "lora";
    private static final String DEFAULT_RANK = "8";
    private static final String DEFAULT_ALPHA = "16";
    private static final String DEFAULT_VIRTUAL_TOKENS = "16";

    @Activate
    public TuneCommand(@Reference TuningService tuning) {
        this.tuning = tuning;
    }

    @Descriptor("train the router (--stage 1) or a task adapter (--stage 2) over a base model; --resume continues a run")
    public String tune(
            @Descriptor("1: router on the instruction set; 2: task adapter") @Parameter(names = "--stage", absentValue = "2") int stage,
            @Descriptor("task id or name, e.g. MTD") @Parameter(names = "--task", absentValue = "") String task,
            @Descriptor("train file (JSON Lines of instruction, output)") @Parameter(names = "--train", absentValue = "") String train,
            @Descriptor("test file, same format") @Parameter(names = "--test", absentValue = "") String test,
            @Descriptor("label file (label -> index)") @Parameter(names = "--labels", absentValue = "") String labels,
            @Descriptor("task descriptor file (default: the dataset's beside the train file)") @Parameter(names = "--task-file", absentValue = "") String taskFile,
            @Descriptor("stage 1: TrafficLLM's instruction.json, corrected and split here") @Parameter(names = "--instructions", absentValue = "") String instructions,
            @Descriptor("base model name or model directory") @Parameter(names = "--base", absentValue = "nano") String base,
            @Descriptor("lora or prefix") @Parameter(names = "--peft", absentValue = DEFAULT_PEFT) String peft,
            @Descriptor("LoRA rank") @Parameter(names = "--rank", absentValue = DEFAULT_RANK) int rank,
            @Descriptor("LoRA alpha") @Parameter(names = "--alpha", absentValue = DEFAULT_ALPHA) double alpha,
            @Descriptor("LoRA target modules, comma separated (default: q_proj,v_proj)") @Parameter(names = "--targets", absentValue = "") String targets,
            @Descriptor("prefix tuning: virtual tokens") @Parameter(names = "--virtual-tokens", absentValue = DEFAULT_VIRTUAL_TOKENS) int virtualTokens,
            @Descriptor("token budget of the traffic (or instruction); 0: none") @Parameter(names = "--traffic-tokens", absentValue = "128") int trafficTokens,
            @Descriptor("peak learning rate") @Parameter(names = "--lr", absentValue = "0.001") double lr,
            @Descriptor("warm-up steps; -1: 5% of the run") @Parameter(names = "--warmup", absentValue = "-1") int warmup,
            @Descriptor("cosine, linear or constant") @Parameter(names = "--decay", absentValue = "cosine") String decay,
            @Descriptor("final learning rate as a share of the peak") @Parameter(names = "--min-lr-ratio", absentValue = "0.1") double minLr,
            @Descriptor("AdamW weight decay") @Parameter(names = "--weight-decay", absentValue = "0") double weightDecay,
            @Descriptor("clip the global gradient norm to this; 0: no clipping") @Parameter(names = "--clip", absentValue = "1") double clip,
            @Descriptor("sequences per step") @Parameter(names = "--batch", absentValue = "16") int batch,
            @Descriptor("steps per optimizer update") @Parameter(names = "--accumulation", absentValue = "1") int accumulation,
            @Descriptor("passes over the training samples") @Parameter(names = "--epochs", absentValue = "3") double epochs,
            @Descriptor("class balance: each class seen at least this share of the largest class's count per epoch; 0: the file's proportions, 1: equal") @Parameter(names = "--balance", absentValue = "0") double balance,
            @Descriptor("at most this many updates; 0: as the epochs take") @Parameter(names = "--max-steps", absentValue = "0") int maxSteps,
            @Descriptor("checkpoint and validate every this many updates") @Parameter(names = "--checkpoint-every", absentValue = "50") int checkpointEvery,
            @Descriptor("stop after this many validations without a better macro-F1; 0: never") @Parameter(names = "--patience", absentValue = "4") int patience,
            @Descriptor("no early stop before this many epochs have passed; 0: patience counts from the first validation") @Parameter(names = "--min-epochs", absentValue = "0") double minEpochs,
            @Descriptor("share of the train file held out for validation") @Parameter(names = "--validation-share", absentValue = "0.05") double validationShare,
            @Descriptor("at most this many validation samples") @Parameter(names = "--validation-limit", absentValue = "400") int validationLimit,
            @Descriptor("use at most this many training samples; 0: all") @Parameter(names = "--train-limit", absentValue = "0") int trainLimit,
            @Descriptor("evaluate at most this many test samples; 0: all") @Parameter(names = "--test-limit", absentValue = "0") int testLimit,
            @Descriptor("seed of initialisation, validation split and data order") @Parameter(names = "--seed", absentValue = "42") long seed,
            @Descriptor("adapter directory to write") @Parameter(names = "--out", absentValue = "") String out,
            @Descriptor("checkpoint directory (default: <out>/checkpoints)") @Parameter(names = "--checkpoints", absentValue = "") String checkpoints,
            @Descriptor("continue the run whose checkpoints are in this directory") @Parameter(names = "--resume", absentValue = "") String resume,
            @Descriptor("start from this adapter directory's weights (an update on more or newer data); its shape is kept") @Parameter(names = "--from", absentValue = "") String from,
            @Descriptor("seconds between progress lines") @Parameter(names = "--progress", absentValue = "10") int progressSeconds)
            throws TuningException {
        TuningProgressPrinter printer = new TuningProgressPrinter("tune", System.err, progressSeconds * 1000L);
        if (!resume.isBlank()) {
            return summary(tuning.resumeTuning(Paths.get(resume), printer));
        }
        if (!from.isBlank() && (!peft.equals(DEFAULT_PEFT) || rank != Integer.parseInt(DEFAULT_RANK)
                || alpha != Double.parseDouble(DEFAULT_ALPHA) || !targets.isBlank()
                || virtualTokens != Integer.parseInt(DEFAULT_VIRTUAL_TOKENS))) {
            throw new TuningException("--from " + from + " keeps that adapter's shape: leave out --peft, --rank, --alpha, "
                    + "--targets and --virtual-tokens");
        }
        TuningRequestDTO r = new TuningRequestDTO();
        r.initAdapter = blankToNull(from);
        r.stage = stage;
        r.task = blankToNull(task);
        r.train = blankToNull(train);
        r.test = blankToNull(test);
        r.labels = blankToNull(labels);
        r.taskFile = blankToNull(taskFile);
        r.instructions = blankToNull(instructions);
        r.baseModel = base;
        r.peft = peft;
        r.loraRank = rank;
        r.loraAlpha = alpha;
        r.loraTargets = list(targets);
        r.virtualTokens = virtualTokens;
        r.trafficTokens = trafficTokens;
        r.schedule.learningRate = lr;
        r.schedule.warmupSteps = warmup;
        r.schedule.decay = decay;
        r.schedule.minLearningRateRatio = minLr;
        r.schedule.weightDecay = weightDecay;
        r.schedule.maxGradientNorm = clip;
        r.batchSize = batch;
        r.accumulation = accumulation;
        r.epochs = epochs;
        r.balance = balance;
        r.maxSteps = maxSteps;
        r.checkpointEvery = checkpointEvery;
        r.patience = patience;
        r.minEpochs = minEpochs;
        r.validationShare = validationShare;
        r.validationLimit = validationLimit;
        r.trainLimit = trainLimit;
        r.testLimit = testLimit;
        r.seed = seed;
        r.output = blankToNull(out);
        r.checkpoints = blankToNull(checkpoints);
        return summary(tuning.tune(r, printer));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static List<String> list(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static String summary(TuningResultDTO r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "task      %s (stage %d, %s over %s, %,d trainable weights)%n", r.task, r.stage,
                r.peft, r.baseModel, r.trainableParameters));
        s.append(String.format(Locale.ROOT, "data      %,d train, %,d validation, %,d test samples%n", r.trainSamples,
                r.validationSamples, r.testSamples));
        s.append(String.format(Locale.ROOT, "training  %,d of %,d steps (%.2f epochs)%s, %s, %.0f tokens/s%n", r.steps,
                r.plannedSteps, r.epochs, r.stoppedEarly ? ", stopped early" : "",
                TuningProgressPrinter.duration(r.trainMillis), r.tokensPerSecond));
        ValidationDTO best = r.best;
        if (best != null) {
            s.append(String.format(Locale.ROOT, "best      step %d: validation accuracy %.4f, macro-F1 %.4f (after %s)%n",
                    best.step, best.accuracy, best.macroF1, TuningProgressPrinter.duration(r.millisToBest)));
        }
        s.append(String.format(Locale.ROOT, "test      accuracy %.4f, macro-F1 %.4f, weighted-F1 %.4f%n", r.testAccuracy,
                r.testMacroF1, r.testWeightedF1));
        s.append("adapter   ").append(r.output).append('\n');
        s.append("metrics   ").append(r.metricsFile);
        return s.toString();
    }
}

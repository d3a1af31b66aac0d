package org.trafficllm.shell.impl;

import java.nio.file.Paths;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.TuningService;
import org.trafficllm.api.tuning.dto.PretrainingRequestDTO;
import org.trafficllm.api.tuning.dto.PretrainingResultDTO;
import org.trafficllm.api.tuning.dto.TokenizerRatioDTO;

/** {@code tllm:pretrain}: trains the traffic tokenizer and a small base model from scratch. */
@Component(service = PretrainCommand.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=pretrain" })
public class PretrainCommand {
    private final TuningService tuning;

    @Activate
    public PretrainCommand(@Reference TuningService tuning) {
        this.tuning = tuning;
    }

    @Descriptor("train the traffic tokenizer and a small Llama base model from scratch; --resume continues a run")
    public String pretrain(
            @Descriptor("dataset train files (JSON Lines), comma separated: the traffic corpus") @Parameter(names = "--datasets", absentValue = "") String datasets,
            @Descriptor("their test files, comma separated: held-out text to measure the tokenizer") @Parameter(names = "--held-out", absentValue = "") String heldOut,
            @Descriptor("the router's train file: the natural-language corpus") @Parameter(names = "--instructions", absentValue = "") String instructions,
            @Descriptor("at most this many texts per dataset file; 0: all") @Parameter(names = "--texts-per-dataset", absentValue = "20000") int textsPerDataset,
            @Descriptor("use this tokenizer.json instead of training one") @Parameter(names = "--tokenizer", absentValue = "") String tokenizer,
            @Descriptor("vocabulary of the natural-language tokenizer") @Parameter(names = "--natural-vocab", absentValue = "2048") int naturalVocab,
            @Descriptor("tokens the traffic extension adds") @Parameter(names = "--traffic-tokens", absentValue = "2048") int trafficTokens,
            @Descriptor("hex characters per traffic word") @Parameter(names = "--hex-chunk", absentValue = "4") int hexChunk,
            @Descriptor("hidden size") @Parameter(names = "--hidden", absentValue = "128") int hidden,
            @Descriptor("layers") @Parameter(names = "--layers", absentValue = "4") int layers,
            @Descriptor("attention heads") @Parameter(names = "--heads", absentValue = "4") int heads,
            @Descriptor("key/value heads") @Parameter(names = "--kv-heads", absentValue = "2") int kvHeads,
            @Descriptor("SwiGLU width") @Parameter(names = "--ffn", absentValue = "352") int ffn,
            @Descriptor("context (max positions)") @Parameter(names = "--context", absentValue = "512") int context,
            @Descriptor("tokens per training window") @Parameter(names = "--seq", absentValue = "256") int seq,
            @Descriptor("peak learning rate") @Parameter(names = "--lr", absentValue = "0.001") double lr,
            @Descriptor("warm-up steps; -1: 5% of the run") @Parameter(names = "--warmup", absentValue = "-1") int warmup,
            @Descriptor("cosine, linear or constant") @Parameter(names = "--decay", absentValue = "cosine") String decay,
            @Descriptor("final learning rate as a share of the peak") @Parameter(names = "--min-lr-ratio", absentValue = "0.1") double minLr,
            @Descriptor("AdamW weight decay") @Parameter(names = "--weight-decay", absentValue = "0") double weightDecay,
            @Descriptor("windows per step") @Parameter(names = "--batch", absentValue = "16") int batch,
            @Descriptor("steps per optimizer update") @Parameter(names = "--accumulation", absentValue = "1") int accumulation,
            @Descriptor("optimizer updates") @Parameter(names = "--steps", absentValue = "1000") int steps,
            @Descriptor("checkpoint every this many updates") @Parameter(names = "--checkpoint-every", absentValue = "100") int checkpointEvery,
            @Descriptor("share of windows held out for the validation loss") @Parameter(names = "--validation-share", absentValue = "0.02") double validationShare,
            @Descriptor("seed") @Parameter(names = "--seed", absentValue = "42") long seed,
            @Descriptor("the base model's name") @Parameter(names = "--name", absentValue = "nano") String name,
            @Descriptor("the base model's version") @Parameter(names = "--version", absentValue = "1.0.0") String version,
            @Descriptor("float32, float16 or bfloat16") @Parameter(names = "--dtype", absentValue = "float16") String dtype,
            @Descriptor("model directory to write") @Parameter(names = "--out", absentValue = "") String out,
            @Descriptor("checkpoint directory (default: <out>.checkpoints)") @Parameter(names = "--checkpoints", absentValue = "") String checkpoints,
            @Descriptor("continue the run whose checkpoints are in this directory") @Parameter(names = "--resume", absentValue = "") String resume,
            @Descriptor("seconds between progress lines") @Parameter(names = "--progress", absentValue = "10") int progressSeconds)
            throws TuningException {
        TuningProgressPrinter printer = new TuningProgressPrinter("pretrain", System.err, progressSeconds * 1000L);
        if (!resume.isBlank()) {
            return summary(tuning.resumePretraining(Paths.get(resume), printer));
        }
        PretrainingRequestDTO r = new PretrainingRequestDTO();
        r.datasets = TuneCommand.list(datasets);
        r.heldOut = TuneCommand.list(heldOut);
        r.instructions = TuneCommand.blankToNull(instructions);
        r.textsPerDataset = textsPerDataset;
        r.tokenizer = TuneCommand.blankToNull(tokenizer);
        r.naturalVocabSize = naturalVocab;
        r.trafficTokens = trafficTokens;
        r.hexChunk = hexChunk;
        r.hiddenSize = hidden;
        r.layers = layers;
        r.heads = heads;
        r.kvHeads = kvHeads;
        r.intermediateSize = ffn;
        r.maxContext = context;
        r.sequenceLength = seq;
        r.schedule.learningRate = lr;
        r.schedule.warmupSteps = warmup;
        r.schedule.decay = decay;
        r.schedule.minLearningRateRatio = minLr;
        r.schedule.weightDecay = weightDecay;
        r.batchSize = batch;
        r.accumulation = accumulation;
        r.maxSteps = steps;
        r.checkpointEvery = checkpointEvery;
        r.validationShare = validationShare;
        r.seed = seed;
        r.name = name;
        r.version = version;
        r.dtype = dtype;
        r.output = TuneCommand.blankToNull(out);
        r.checkpoints = TuneCommand.blankToNull(checkpoints);
        return summary(tuning.pretrain(r, printer));
    }

    private static String summary(PretrainingResultDTO r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model       %s (%,d weights, %,d bytes, vocabulary %,d)%n", r.output,
                r.parameters, r.weightBytes, r.vocabSize));
        for (TokenizerRatioDTO t : r.tokenizerRatios) {
            s.append(String.format(Locale.ROOT, "tokenizer   %s: %.1f -> %.1f tokens per text (%.2fx fewer)%n", t.corpus,
                    t.baseTokensPerText, t.trafficTokensPerText, t.ratio));
        }
        s.append(String.format(Locale.ROOT, "corpus      %,d texts, %,d tokens%n", r.corpusTexts, r.corpusTokens));
        s.append(String.format(Locale.ROOT, "training    %,d steps, %,d tokens, %s, %.0f tokens/s%n", r.steps, r.tokens,
                TuningProgressPrinter.duration(r.trainMillis), r.tokensPerSecond));
        s.append(String.format(Locale.ROOT, "loss        first %.3f, last %.3f, held-out %.3f", r.firstLoss, r.finalLoss,
                r.validationLoss));
        return s.toString();
    }
}

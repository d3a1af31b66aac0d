package org.trafficllm.shell.impl;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.tokenizer.TokenizerMeter;
import org.trafficllm.api.tokenizer.TokenizerTrainer;
import org.trafficllm.api.tokenizer.dto.PreTokenization;
import org.trafficllm.api.tokenizer.dto.TextCorpus;
import org.trafficllm.api.tokenizer.dto.TokenCountStatistics;
import org.trafficllm.api.tokenizer.dto.TokenizerComparison;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingResult;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.TuningService;
import org.trafficllm.api.tuning.dto.CorpusRequestDTO;
import org.trafficllm.api.tuning.dto.CorpusResultDTO;

/**
 * {@code tllm:tokenizer}: {@code corpus} writes the texts of dataset files as corpus
 * files, {@code train} trains a byte-level BPE (from scratch or extending a base),
 * {@code measure} compares the tokens two tokenizers spend on the same texts.
 */
@Component(service = TokenizerCommand.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=tokenizer" })
public class TokenizerCommand {
    private final TokenizerTrainer trainer;
    private final TokenizerMeter meter;
    private final TuningService tuning;

    @Activate
    public TokenizerCommand(@Reference TokenizerTrainer trainer, @Reference TokenizerMeter meter,
            @Reference TuningService tuning) {
        this.trainer = trainer;
        this.meter = meter;
        this.tuning = tuning;
    }

    @Descriptor("corpus <dataset files>: write their texts; train <corpus files>: train a tokenizer; measure <corpus files>: compare two")
    public String tokenizer(
            @Descriptor("tokenizer.json (train: output; measure: the candidate) or corpus folder (corpus)") @Parameter(names = "--out", absentValue = "") String out,
            @Descriptor("base tokenizer.json to extend (train) or to measure against (measure)") @Parameter(names = "--base", absentValue = "") String base,
            @Descriptor("train: vocabulary size to reach") @Parameter(names = "--vocab", absentValue = "0") int vocab,
            @Descriptor("train: tokens to add to the base") @Parameter(names = "--new", absentValue = "0") int newTokens,
            @Descriptor("train: traffic pre-tokenization (hex words, dotted field names)") @Parameter(names = "--traffic", presentValue = "true", absentValue = "false") boolean traffic,
            @Descriptor("train: hex characters per traffic word") @Parameter(names = "--hex-chunk", absentValue = "4") int hexChunk,
            @Descriptor("train: special tokens, comma separated") @Parameter(names = "--special", absentValue = "") String special,
            @Descriptor("train: added tokens, comma separated") @Parameter(names = "--added", absentValue = "") String added,
            @Descriptor("train: minimum pair frequency") @Parameter(names = "--min-frequency", absentValue = "2") int minFrequency,
            @Descriptor("train: at most this many texts (seeded draw); corpus: per file; 0: all") @Parameter(names = "--max-texts", absentValue = "0") int maxTexts,
            @Descriptor("seed of the draws") @Parameter(names = "--seed", absentValue = "42") long seed,
            @Descriptor("corpus, train or measure") String action,
            @Descriptor("input files") String... files) throws IOException, TuningException {
        List<Path> paths = new ArrayList<>();
        for (String f : files) {
            paths.add(Paths.get(f));
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("tokenizer " + action + ": no input files");
        }
        switch (action) {
        case "corpus": {
            CorpusRequestDTO r = new CorpusRequestDTO();
            List<String> names = new ArrayList<>();
            paths.forEach(p -> names.add(p.toString()));
            r.datasets = names;
            r.output = required(out, "--out (corpus folder)");
            r.textsPerFile = maxTexts;
            r.seed = seed;
            CorpusResultDTO result = tuning.writeCorpus(r);
            StringBuilder s = new StringBuilder();
            for (Map.Entry<String, Long> e : result.files.entrySet()) {
                s.append(String.format(Locale.ROOT, "%,10d texts  %s%n", e.getValue(), e.getKey()));
            }
            return s.toString().stripTrailing();
        }
        case "train": {
            TokenizerTrainingRequest r = new TokenizerTrainingRequest();
            r.baseTokenizer = base.isBlank() ? null : Paths.get(base);
            r.corpus.files = paths;
            r.targetVocabSize = vocab;
            r.newTokens = newTokens;
            r.preTokenization = traffic ? PreTokenization.TRAFFIC : PreTokenization.BASE;
            r.hexChunk = hexChunk;
            r.specialTokens = TuneCommand.list(special);
            r.addedTokens = TuneCommand.list(added);
            r.minFrequency = minFrequency;
            r.maxTexts = maxTexts;
            r.seed = seed;
            r.output = Paths.get(required(out, "--out (tokenizer.json to write)"));
            TokenizerTrainingResult t = trainer.train(r, null);
            return String.format(Locale.ROOT, "%s: %,d tokens (%,d base, %,d learned, %,d special or added), %,d merges "
                    + "added; %,d texts, %,d bytes, %,d distinct words, %.1f s", t.tokenizer, t.vocabSize, t.baseVocabSize,
                    t.tokensAdded, t.specialTokensAdded, t.mergesAdded, t.textsRead, t.bytesRead, t.distinctWords,
                    t.elapsedMillis / 1000.0);
        }
        case "measure": {
            TextCorpus corpus = new TextCorpus();
            corpus.files = paths;
            Path candidate = Paths.get(required(out, "--out (the tokenizer to measure)"));
            if (base.isBlank()) {
                return line(meter.measure(candidate, corpus, null));
            }
            TokenizerComparison c = meter.compare(Paths.get(base), candidate, corpus, null);
            return line(c.baseline) + "\n" + line(c.candidate) + String.format(Locale.ROOT,
                    "%n%.2fx fewer tokens with %s", c.ratio, candidate);
        }
        default:
            throw new IllegalArgumentException("tokenizer: unknown action '" + action + "' (corpus, train or measure)");
        }
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("tokenizer: " + what + " is needed");
        }
        return value;
    }

    private static String line(TokenCountStatistics s) {
        return String.format(Locale.ROOT, "%s: %,d texts, %,d tokens, %.1f per text (median %.0f, p95 %d, max %d), %.2f "
                + "bytes per token", s.tokenizer, s.texts, s.totalTokens, s.mean, s.median, s.p95, s.max,
                s.totalTokens == 0 ? 0 : (double) s.totalBytes / s.totalTokens);
    }
}

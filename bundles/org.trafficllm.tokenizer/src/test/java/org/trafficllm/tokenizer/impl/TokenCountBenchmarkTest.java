package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.trafficllm.api.tokenizer.dto.PreTokenization;
import org.trafficllm.api.tokenizer.dto.TextCorpus;
import org.trafficllm.api.tokenizer.dto.TokenCountStatistics;
import org.trafficllm.api.tokenizer.dto.TokenizerComparison;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingResult;

/**
 * Tokens per text, base against traffic extension, on real traffic text that the extension
 * never saw. Run with {@code -Pbench}; writes {@code target/bench/tokenizer/results.md}.
 */
@Tag("bench")
class TokenCountBenchmarkTest {
    private static final Path OUT = Path.of("target/bench/tokenizer");
    private static final int NL_BASE_VOCAB = 2048;
    /** Overridable with {@code -Dbench.newTokens=4096,16384}; {@code -Dbench.mask=none} renders without masking. */
    private static final String NEW_TOKENS = "1024,4096,16384";
    /** Overridable with {@code -Dbench.options=BASE,BASE+pck,TRAFFIC8+pck}: TRAFFIC followed by the hex chunk. */
    private static final String OPTIONS = "BASE,BASE+pck,TRAFFIC8+pck,TRAFFIC64+pck";
    private static final int SPEED_TEXTS_PER_CORPUS = 4000;

    /** Texts of one kind, split into what the extension learns from and what it is measured on. */
    record Corpus(String name, String unit, String split, List<String> train, List<String> test) {
    }

    /** A way to extend a base. */
    record Option(String name, PreTokenization preTokenization, int hexChunk, List<String> addedTokens) {
    }

    private final StringBuilder report = new StringBuilder();

    @Test
    void tokensPerTextBaseAgainstExtension() throws Exception {
        Files.createDirectories(OUT);
        line("# Token counts: base tokenizer vs traffic extension");
        line("");
        line("Date " + LocalDate.now() + "; machine: " + TrafficBenchmarkCorpora.machine() + ".");
        line("");

        Path nlBase = trainNaturalLanguageBase();
        boolean masked = !System.getProperty("bench.mask", "all").equals("none");
        TrafficBenchmarkCorpora traffic = new TrafficBenchmarkCorpora(masked);
        long renderStart = System.nanoTime();
        List<Corpus> corpora = traffic.all();
        line(String.format(Locale.ROOT, "Rendered in %.0f s %s; %d reads stopped early or did not parse (what"
                + " they delivered is kept):", (System.nanoTime() - renderStart) / 1e9,
                masked ? "with every identifier masked (MAC, IP, port, absolute time)" : "without masking",
                traffic.unreadable().size()));
        traffic.unreadable().forEach(reason -> line("- " + reason));
        line("");
        List<String> train = new ArrayList<>();
        for (Corpus c : corpora) {
            train.addAll(c.train());
            line("- " + c.name() + ": " + c.train().size() + " train / " + c.test().size() + " test " + c.unit()
                    + "s; split: " + c.split());
        }
        long trainBytes = train.stream().mapToLong(WordCounter::utf8Length).sum();
        line("- extension training corpus: " + train.size() + " texts, "
                + String.format(Locale.ROOT, "%.1f", trainBytes / 1e6) + " MB (UTF-8)");
        line("");

        List<Option> options = new ArrayList<>();
        for (String spec : System.getProperty("bench.options", OPTIONS).split(",")) {
            boolean pck = spec.endsWith("+pck");
            String name = pck ? spec.substring(0, spec.length() - 4) : spec;
            PreTokenization pre = name.startsWith("TRAFFIC") ? PreTokenization.TRAFFIC : PreTokenization.BASE;
            int chunk = pre == PreTokenization.TRAFFIC ? Integer.parseInt(name.substring("TRAFFIC".length())) : 0;
            options.add(new Option((pre == PreTokenization.TRAFFIC ? "TRAFFIC hex" + chunk : "BASE")
                    + (pck ? " + <pck>" : ""), pre, chunk, pck ? List.of("<pck>") : List.of()));
        }
        int[] sizes = java.util.Arrays.stream(System.getProperty("bench.newTokens", NEW_TOKENS).split(","))
                .mapToInt(Integer::parseInt).toArray();
        Path speedSubject = null;
        StringBuilder header = new StringBuilder("| base | option | new tokens | train s |");
        StringBuilder rule = new StringBuilder("|---|---|---:|---:|");
        for (Corpus c : corpora) {
            header.append(" ").append(c.name()).append(" |");
            rule.append("---:|");
        }
        line("Ratio = tokens under the base / tokens under the extension, over all measured texts.");
        line("");
        line(header.toString());
        line(rule.toString());
        StringBuilder details = new StringBuilder();
        StringBuilder lastOfEachBase = new StringBuilder();
        double worst = Double.MAX_VALUE;
        List<Path> bases = new ArrayList<>();
        for (String name : System.getProperty("bench.bases", "fixture,instructions").split(",")) {
            bases.add(name.equals("fixture") ? SharedFiles.fixtureTokenizer() : nlBase);
        }
        for (Path base : bases) {
            String baseName = base.equals(nlBase) ? "instructions " + NL_BASE_VOCAB : "fixture 384";
            for (Option option : options) {
                for (int newTokens : sizes) {
                    TokenizerTrainingRequest r = new TokenizerTrainingRequest();
                    r.baseTokenizer = base;
                    r.corpus.texts = train;
                    r.newTokens = newTokens;
                    r.preTokenization = option.preTokenization();
                    r.hexChunk = Math.max(2, option.hexChunk());
                    r.addedTokens = option.addedTokens();
                    r.output = OUT.resolve((baseName + " " + option.name() + " " + newTokens)
                            .replaceAll("[^A-Za-z0-9]+", "-") + ".json");
                    TokenizerTrainingResult trained = TrainerFixture.trainer(2).train(r, null);
                    speedSubject = trained.tokenizer;
                    StringBuilder row = new StringBuilder("| " + baseName + " | " + option.name() + " | "
                            + trained.tokensAdded + " | "
                            + String.format(Locale.ROOT, "%.1f", trained.elapsedMillis / 1000.0) + " |");
                    details.setLength(0);
                    details.append("\nTokens per text, ").append(baseName).append(" against ").append(option.name())
                            .append(", ").append(newTokens).append(" new tokens (mean / median / p95):\n\n")
                            .append("| text | base | extended | ratio |\n|---|---|---|---:|\n");
                    for (Corpus c : corpora) {
                        TextCorpus test = new TextCorpus();
                        test.texts = c.test();
                        TokenizerComparison cmp = TrainerFixture.meter(2).compare(base, trained.tokenizer, test, null);
                        row.append(String.format(Locale.ROOT, " %.2f |", cmp.ratio));
                        details.append("| ").append(c.name()).append(" | ").append(stats(cmp.baseline)).append(" | ")
                                .append(stats(cmp.candidate))
                                .append(String.format(Locale.ROOT, " | %.2f |%n", cmp.ratio));
                        if (option.preTokenization() == PreTokenization.TRAFFIC && !c.train().isEmpty()) {
                            worst = Math.min(worst, cmp.ratio);
                        }
                    }
                    line(row.toString());
                }
            }
            lastOfEachBase.append(details);
        }
        line(lastOfEachBase.toString());
        line("");
        encodingSpeed(speedSubject, corpora);
        Files.writeString(OUT.resolve("results.md"), report);
        assertThat(worst).as("smallest ratio of a TRAFFIC extension").isGreaterThan(1.0);
    }

    private Path trainNaturalLanguageBase() throws IOException {
        List<List<String>> split = TextSamples.instructionSplit();
        List<String> train = split.get(0);
        List<String> held = new ArrayList<>(split.get(1));
        TokenizerTrainingRequest r = new TokenizerTrainingRequest();
        r.corpus.texts = train;
        r.specialTokens = List.of("<|endoftext|>", "<pad>");
        r.targetVocabSize = NL_BASE_VOCAB;
        r.preTokenization = PreTokenization.BASE;
        r.output = OUT.resolve("instructions-" + NL_BASE_VOCAB + ".json");
        TokenizerTrainingResult result = TrainerFixture.trainer(2).train(r, null);
        TextCorpus test = new TextCorpus();
        test.texts = held;
        TokenCountStatistics s = TrainerFixture.meter(2).measure(result.tokenizer, test, null);
        line("Natural-language base: byte-level BPE of " + result.vocabSize + " ids trained from scratch on "
                + train.size() + " TrafficLLM instructions (rows with index % 10 != 0) in "
                + String.format(Locale.ROOT, "%.1f s", result.elapsedMillis / 1000.0) + "; on the " + held.size()
                + " other rows: " + String.format(Locale.ROOT, "%.2f", (double) s.totalBytes / s.totalTokens)
                + " bytes per token, " + String.format(Locale.ROOT, "%.1f", s.mean) + " tokens per instruction.");
        line("");
        return result.tokenizer;
    }

    /** Single-thread encoding throughput of our encoder and of Hugging Face tokenizers (DJL) on the test texts. */
    private void encodingSpeed(Path tokenizer, List<Corpus> corpora) throws Exception {
        List<String> texts = new ArrayList<>();
        corpora.forEach(c -> texts.addAll(c.test().subList(0, Math.min(SPEED_TEXTS_PER_CORPUS, c.test().size()))));
        long bytes = texts.stream().mapToLong(WordCounter::utf8Length).sum();
        ByteLevelTokenizer.Encoder ours = TokenizerJson.read(tokenizer).tokenizer().newEncoder();
        try (HuggingFaceReference reference = new HuggingFaceReference(tokenizer)) {
            double oursSeconds = Double.MAX_VALUE;
            double referenceSeconds = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                long sink = 0;
                for (String text : texts) {
                    sink += ours.count(text);
                }
                oursSeconds = Math.min(oursSeconds, (System.nanoTime() - start) / 1e9);
                start = System.nanoTime();
                for (String text : texts) {
                    sink -= reference.encode(text).length;
                }
                referenceSeconds = Math.min(referenceSeconds, (System.nanoTime() - start) / 1e9);
                assertThat(sink).isZero();
            }
            line(String.format(Locale.ROOT, "Encoding speed, one thread, %s on %d test texts (%.1f MB), best of 3: "
                    + "this encoder %.1f MB/s, Hugging Face tokenizers through DJL %.1f MB/s.",
                    tokenizer.getFileName(), texts.size(), bytes / 1e6, bytes / 1e6 / oursSeconds,
                    bytes / 1e6 / referenceSeconds));
        }
    }

    private static String stats(TokenCountStatistics s) {
        return String.format(Locale.ROOT, "%.1f / %.0f / %d", s.mean, s.median, s.p95);
    }

    private void line(String text) {
        report.append(text).append('\n');
        System.out.println(text);
    }
}

package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.tokenizer.dto.PreTokenization;
import org.trafficllm.api.tokenizer.dto.TextCorpus;
import org.trafficllm.api.tokenizer.dto.TokenCountStatistics;
import org.trafficllm.api.tokenizer.dto.TokenizerComparison;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;

/** Token counts of the meter against counts taken with Hugging Face tokenizers itself. */
class BpeTokenizerMeterTest {

    @Test
    void countsWhatHuggingFaceCounts(@TempDir Path dir) throws Exception {
        TokenizerTrainingRequest r = new TokenizerTrainingRequest();
        r.baseTokenizer = SharedFiles.fixtureTokenizer();
        r.corpus.texts = TextSamples.sessionHex(0, 400);
        r.newTokens = 300;
        r.addedTokens = List.of("<pck>");
        r.preTokenization = PreTokenization.TRAFFIC;
        r.output = dir.resolve("traffic.json");
        Path extended = TrainerFixture.trainer(2).train(r, null).tokenizer;

        List<String> texts = TextSamples.sessionHex(5000, 200);
        Path lines = dir.resolve("flows.txt.gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(lines))) {
            out.write(String.join("\n", texts.subList(0, 120)).getBytes(StandardCharsets.UTF_8));
        }
        TextCorpus corpus = new TextCorpus();
        corpus.files = List.of(lines);
        corpus.texts = texts.subList(120, 200);

        TokenizerComparison c = TrainerFixture.meter(2).compare(SharedFiles.fixtureTokenizer(), extended, corpus, null);

        assertMatchesHuggingFace(c.baseline, SharedFiles.fixtureTokenizer(), texts);
        assertMatchesHuggingFace(c.candidate, extended, texts);
        assertThat(c.ratio).isCloseTo((double) c.baseline.totalTokens / c.candidate.totalTokens, within(1e-12))
                .isGreaterThan(1.0);
        TokenCountStatistics alone = TrainerFixture.meter(1).measure(extended, corpus, null);
        assertThat(alone.totalTokens).isEqualTo(c.candidate.totalTokens);
    }

    private static void assertMatchesHuggingFace(TokenCountStatistics s, Path tokenizer, List<String> texts)
            throws Exception {
        List<Integer> counts = new ArrayList<>();
        long bytes = 0;
        try (HuggingFaceReference reference = new HuggingFaceReference(tokenizer)) {
            for (String text : texts) {
                counts.add(reference.encode(text).length);
                bytes += text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        int[] sorted = counts.stream().mapToInt(Integer::intValue).sorted().toArray();
        assertThat(s.tokenizer).isEqualTo(tokenizer);
        assertThat(s.texts).isEqualTo(texts.size());
        assertThat(s.totalBytes).isEqualTo(bytes);
        assertThat(s.totalTokens).isEqualTo(Arrays.stream(sorted).asLongStream().sum());
        assertThat(s.mean).isCloseTo(Arrays.stream(sorted).average().orElseThrow(), within(1e-9));
        assertThat(s.median).isEqualTo((sorted[99] + sorted[100]) / 2.0);
        assertThat(s.p95).isEqualTo(sorted[189]);
        assertThat(s.max).isEqualTo(sorted[199]);
    }
}

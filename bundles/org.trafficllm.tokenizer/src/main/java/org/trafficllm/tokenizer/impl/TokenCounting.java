package org.trafficllm.tokenizer.impl;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.TokenizerProgressListener;
import org.trafficllm.api.tokenizer.dto.TokenCountStatistics;

/** Counts the tokens of every text of a corpus under several tokenizers, in one pass. */
final class TokenCounting {
    private final List<Path> files;
    private final List<ByteLevelTokenizer> tokenizers;
    private final int threads;

    TokenCounting(List<Path> files, int threads) throws TokenizerException {
        this.files = List.copyOf(files);
        ByteLevelTokenizer[] loaded = new ByteLevelTokenizer[files.size()];
        for (int i = 0; i < loaded.length; i++) {
            loaded[i] = TokenizerJson.read(files.get(i)).tokenizer();
        }
        this.tokenizers = List.of(loaded);
        this.threads = threads;
    }

    /** One statistics object per tokenizer, in the order given. */
    TokenCountStatistics[] run(CorpusReader corpus, TokenizerProgressListener listener) throws TokenizerException {
        corpus.check();
        List<Counting> workers = ParallelCorpusPass.run(corpus, threads, Counting::new,
                new ProgressReporter(listener, "measure", "texts", corpus.knownSize()));
        long texts = workers.stream().mapToLong(w -> w.texts).sum();
        if (texts == 0) {
            throw new TokenizerException("corpus: no texts (files have no non-empty lines, texts is empty)");
        }
        long bytes = workers.stream().mapToLong(w -> w.bytes).sum();
        TokenCountStatistics[] out = new TokenCountStatistics[tokenizers.size()];
        for (int t = 0; t < out.length; t++) {
            int[] counts = new int[(int) texts];
            int at = 0;
            for (Counting w : workers) {
                for (int i = 0; i < w.counts[t].size(); i++) {
                    counts[at++] = w.counts[t].get(i);
                }
            }
            out[t] = statistics(files.get(t), counts, bytes);
        }
        return out;
    }

    static TokenCountStatistics statistics(Path file, int[] counts, long bytes) {
        Arrays.sort(counts);
        TokenCountStatistics s = new TokenCountStatistics();
        s.tokenizer = file;
        s.texts = counts.length;
        s.totalBytes = bytes;
        for (int c : counts) {
            s.totalTokens += c;
        }
        s.mean = (double) s.totalTokens / counts.length;
        int mid = counts.length / 2;
        s.median = counts.length % 2 == 1 ? counts[mid] : (counts[mid - 1] + counts[mid]) / 2.0;
        s.p95 = counts[(int) Math.ceil(0.95 * counts.length) - 1];
        s.max = counts[counts.length - 1];
        return s;
    }

    private final class Counting implements ParallelCorpusPass.Worker {
        final ByteLevelTokenizer.Encoder[] encoders = new ByteLevelTokenizer.Encoder[tokenizers.size()];
        final IntSequence[] counts = new IntSequence[tokenizers.size()];
        long texts;
        long bytes;

        Counting() {
            for (int t = 0; t < encoders.length; t++) {
                encoders[t] = tokenizers.get(t).newEncoder();
                counts[t] = new IntSequence(1024);
            }
        }

        @Override
        public void text(String text) {
            texts++;
            bytes += WordCounter.utf8Length(text);
            for (int t = 0; t < encoders.length; t++) {
                counts[t].add(encoders[t].count(text));
            }
        }
    }
}

package org.trafficllm.tokenizer.impl;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.TokenizerProgressListener;

/**
 * Pre-tokenizes a corpus and counts its distinct words. Every worker thread counts into its own
 * map; the maps are merged at the end and the words sorted, so the result does not depend on
 * thread timing.
 */
final class WordCounter {

    /** Distinct words in sorted order with their counts, and what was read. */
    record Counts(String[] words, long[] counts, long texts, long bytes) {
    }

    private final ByteLevelTokenizer tokenizer;
    private final int threads;

    WordCounter(ByteLevelTokenizer tokenizer, int threads) {
        this.tokenizer = tokenizer;
        this.threads = threads;
    }

    Counts count(CorpusReader corpus, TokenizerProgressListener listener) throws TokenizerException {
        List<Counting> workers = ParallelCorpusPass.run(corpus, threads, Counting::new,
                new ProgressReporter(listener, "read", "texts", corpus.knownSize()));
        Map<String, long[]> all = workers.get(0).words;
        long texts = 0;
        long bytes = 0;
        for (Counting worker : workers) {
            texts += worker.texts;
            bytes += worker.bytes;
            if (worker.words != all) {
                for (Map.Entry<String, long[]> e : worker.words.entrySet()) {
                    long[] c = all.putIfAbsent(e.getKey(), e.getValue());
                    if (c != null) {
                        c[0] += e.getValue()[0];
                    }
                }
                worker.words.clear();
            }
        }
        String[] words = all.keySet().toArray(new String[0]);
        Arrays.parallelSort(words);
        long[] counts = new long[words.length];
        for (int i = 0; i < words.length; i++) {
            counts[i] = all.get(words[i])[0];
        }
        return new Counts(words, counts, texts, bytes);
    }

    private final class Counting implements ParallelCorpusPass.Worker {
        final Map<String, long[]> words = new HashMap<>(1 << 16);
        long texts;
        long bytes;

        @Override
        public void text(String text) {
            texts++;
            bytes += utf8Length(text);
            tokenizer.words(text, this::add, id -> {
            });
        }

        private void add(String word) {
            long[] c = words.get(word);
            if (c == null) {
                words.put(word, new long[] {1});
            } else {
                c[0]++;
            }
        }
    }

    static long utf8Length(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}

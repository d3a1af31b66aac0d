package org.trafficllm.tokenizer.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.TokenizerProgressListener;
import org.trafficllm.api.tokenizer.dto.PreTokenization;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingResult;

/**
 * One training run. The order of work is what makes the extension rule hold:
 * <ol>
 * <li>check the request and the base completely, before any text is read;</li>
 * <li>plan the new ids: base added tokens that Hugging Face tokenizers would number outside the
 * model's vocabulary are written into it under that number, then missing byte characters, then
 * the requested special and added tokens, all after the largest base id;</li>
 * <li>count the words of the corpus under that tokenizer (added tokens cut out first);</li>
 * <li>segment every distinct word with the base merges, and learn new merges on top of that
 * segmentation, so that every new token is a composition of base tokens;</li>
 * <li>append vocabulary and merges (ranked after all base merges) and write the file.</li>
 * </ol>
 */
final class TokenizerTraining {
    /** Longer hex words gain little (measured: 64 against 32 is 2 % fewer tokens per flow) and cost look-behind length. */
    private static final int MAX_HEX_CHUNK = 64;
    private final TokenizerTrainingRequest request;
    private final TokenizerProgressListener listener;
    private final int threads;

    TokenizerTraining(TokenizerTrainingRequest request, TokenizerProgressListener listener, int threads) {
        this.request = request;
        this.listener = listener;
        this.threads = threads;
    }

    TokenizerTrainingResult run() throws TokenizerException {
        long start = System.nanoTime();
        checkRequest();
        TokenizerJson base = readBase();
        ByteLevelTokenizer baseTokenizer = base.tokenizer();
        CorpusReader corpus = new CorpusReader(request.corpus, request.maxTexts, request.seed);
        corpus.check();

        TokenizerExtension extension = new TokenizerExtension(base);
        Map<String, Integer> vocab = new LinkedHashMap<>(base.vocab());
        int baseLimit = baseTokenizer.idLimit();
        int[] next = {Math.max(baseLimit, maxId(vocab) + 1)};
        Map<Integer, List<Integer>> decomposition = new LinkedHashMap<>();
        ByteLevelTokenizer.Encoder baseEncoder = baseTokenizer.newEncoder();

        for (AddedToken t : addedTokensOf(base, baseTokenizer)) {
            if (!vocab.containsKey(t.content())) {
                if (vocab.containsValue(t.id())) {
                    throw base.error("added token \"" + t.content() + "\" gets id " + t.id()
                            + " on loading, which model.vocab gives another token");
                }
                vocab.put(t.content(), t.id());
                extension.addVocab(t.content(), t.id());
            }
        }
        for (char c : ByteLevelAlphabet.characters()) {
            String s = String.valueOf(c);
            if (!vocab.containsKey(s)) {
                vocab.put(s, next[0]);
                extension.addVocab(s, next[0]);
                decomposition.put(next[0]++, List.of());
            }
        }
        Set<String> baseAdded = new HashSet<>();
        base.addedTokens().forEach(t -> baseAdded.add(t.content()));
        boolean fromScratch = request.baseTokenizer == null && request.baseTokenizerJson == null;
        int specialsAdded = fromScratch ? request.specialTokens.size() : 0;
        for (String content : request.specialTokens) {
            specialsAdded += addToken(content, true, vocab, baseAdded, extension, next, decomposition, baseEncoder);
        }
        for (String content : request.addedTokens) {
            specialsAdded += addToken(content, false, vocab, baseAdded, extension, next, decomposition, baseEncoder);
        }
        int wanted = request.newTokens;
        if (request.targetVocabSize > 0) {
            wanted = request.targetVocabSize - next[0];
            if (wanted < 0) {
                throw new TokenizerException("targetVocabSize " + request.targetVocabSize + " is smaller than the "
                        + next[0] + " ids of the base (" + base.name() + ") and the requested tokens");
            }
        }
        if (request.preTokenization == PreTokenization.TRAFFIC) {
            TokenizerJson.WordRule rule = base.wordRule();
            if (rule == null) {
                throw base.error("pre_tokenizer is neither ByteLevel with its regex nor Split(Regex) + ByteLevel;"
                        + " TRAFFIC pre-tokenization needs one of these");
            }
            extension.splitWordsWith(TrafficWordRule.regex(rule.regex(), request.hexChunk), rule.addPrefixSpace(),
                    rule.trimOffsets());
        }
        TokenizerJson planned = TokenizerJson.parse(extension.toBytes(), base.name() + " (extended)");
        ByteLevelTokenizer plannedTokenizer = planned.tokenizer();

        WordCounter.Counts counts = new WordCounter(plannedTokenizer, threads).count(corpus, listener);
        if (counts.texts() == 0) {
            throw new TokenizerException("corpus: no texts (files have no non-empty lines, texts is empty)");
        }
        int[][] words = segment(plannedTokenizer, counts.words());
        List<String> tokens = new ArrayList<>(Arrays.asList(new String[next[0]]));
        vocab.forEach((token, id) -> {
            if (id < tokens.size()) {
                tokens.set(id, token);
            }
        });
        List<MergeTrainer.Merge> merges = new MergeTrainer(words, counts.counts(), vocab, tokens)
                .train(wanted, Math.max(1, request.minFrequency), listener);

        BpeWordEncoder baseWords = baseTokenizer.model().newWordEncoder();
        for (MergeTrainer.Merge m : merges) {
            extension.addVocab(m.token(), m.id());
            extension.addMerge(tokens.get(m.left()), tokens.get(m.right()));
            decomposition.put(m.id(), boxed(baseWords.encode(m.token())));
        }
        ProgressReporter writing = new ProgressReporter(listener, "write", "bytes", -1);
        byte[] json = extension.toBytes();
        TokenizerExtension.write(json, request.output);
        writing.finish(json.length);

        TokenizerTrainingResult result = new TokenizerTrainingResult();
        result.tokenizer = request.output;
        result.baseVocabSize = baseLimit;
        result.vocabSize = tokens.size();
        result.tokensAdded = merges.size();
        result.specialTokensAdded = specialsAdded;
        result.mergesAdded = merges.size();
        result.decomposition = decomposition;
        result.textsRead = counts.texts();
        result.bytesRead = counts.bytes();
        result.distinctWords = counts.words().length;
        result.preTokenization = request.preTokenization;
        result.elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        return result;
    }

    private void checkRequest() throws TokenizerException {
        if (request == null) {
            throw new TokenizerException("request: null");
        }
        if (request.output == null) {
            throw new TokenizerException("request.output: no output path");
        }
        if ((request.newTokens > 0) == (request.targetVocabSize > 0)) {
            throw new TokenizerException("request: set exactly one of newTokens (" + request.newTokens
                    + ") and targetVocabSize (" + request.targetVocabSize + ") to a positive number");
        }
        if (request.newTokens < 0 || request.targetVocabSize < 0) {
            throw new TokenizerException("request: newTokens and targetVocabSize cannot be negative");
        }
        if (request.preTokenization == null) {
            throw new TokenizerException("request.preTokenization: null");
        }
        if (request.preTokenization == PreTokenization.TRAFFIC
                && (request.hexChunk < 2 || request.hexChunk > MAX_HEX_CHUNK || request.hexChunk % 2 != 0)) {
            throw new TokenizerException("request.hexChunk " + request.hexChunk + ": expected an even number from 2 to " + MAX_HEX_CHUNK);
        }
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>();
        all.addAll(request.specialTokens == null ? List.of() : request.specialTokens);
        all.addAll(request.addedTokens == null ? List.of() : request.addedTokens);
        for (String t : all) {
            if (t == null || t.isEmpty()) {
                throw new TokenizerException("request: special and added tokens cannot be null or empty");
            }
            if (!seen.add(t)) {
                throw new TokenizerException("request: token \"" + t + "\" is listed twice in specialTokens/addedTokens");
            }
        }
        if (request.specialTokens == null) {
            request.specialTokens = List.of();
        }
        if (request.addedTokens == null) {
            request.addedTokens = List.of();
        }
        if (request.output.toAbsolutePath().getParent() == null) {
            throw new TokenizerException(request.output + ": not a file path");
        }
    }

    private TokenizerJson readBase() throws TokenizerException {
        if (request.baseTokenizer != null) {
            return TokenizerJson.read(request.baseTokenizer);
        }
        if (request.baseTokenizerJson != null) {
            return TokenizerJson.parse(request.baseTokenizerJson, "baseTokenizerJson");
        }
        return TokenizerJson.parse(TokenizerExtension.emptyByteLevelBase(request.specialTokens), "empty byte-level base");
    }

    /** The base's added tokens with the ids Hugging Face tokenizers gives them on loading. */
    private static List<AddedToken> addedTokensOf(TokenizerJson base, ByteLevelTokenizer tokenizer) {
        List<AddedToken> out = new ArrayList<>();
        for (AddedToken t : base.addedTokens()) {
            int id = tokenizer.addedId(t.content());
            if (id >= 0) {
                out.add(new AddedToken(id, t.content(), t.singleWord(), t.lstrip(), t.rstrip(), t.normalized(),
                        t.special()));
            }
        }
        return out;
    }

    private static int addToken(String content, boolean special, Map<String, Integer> vocab, Set<String> baseAdded,
            TokenizerExtension extension, int[] next, Map<Integer, List<Integer>> decomposition,
            ByteLevelTokenizer.Encoder baseEncoder) {
        if (baseAdded.contains(content)) {
            return 0;
        }
        Integer existing = vocab.get(content);
        if (existing != null) {
            extension.addAddedToken(existing, content, special);
            return 0;
        }
        int id = next[0]++;
        vocab.put(content, id);
        extension.addVocab(content, id);
        extension.addAddedToken(id, content, special);
        decomposition.put(id, boxed(baseEncoder.encode(content)));
        return 1;
    }

    private int[][] segment(ByteLevelTokenizer tokenizer, String[] words) throws TokenizerException {
        int[][] out = new int[words.length][];
        ProgressReporter progress = new ProgressReporter(listener, "segment", "words", words.length);
        AtomicInteger done = new AtomicInteger();
        int workers = Math.max(1, Math.min(threads, words.length / 10_000 + 1));
        Thread[] pool = new Thread[workers];
        Throwable[] failure = new Throwable[workers];
        for (int t = 0; t < workers; t++) {
            int from = (int) ((long) words.length * t / workers);
            int to = (int) ((long) words.length * (t + 1) / workers);
            int index = t;
            pool[t] = new Thread(() -> {
                try {
                    BpeWordEncoder encoder = tokenizer.model().newWordEncoder();
                    for (int w = from; w < to; w++) {
                        out[w] = tokenizer.wordIds(words[w], encoder);
                        if ((w & 0xFFF) == 0) {
                            done.addAndGet(0x1000);
                        }
                    }
                } catch (Throwable e) {
                    failure[index] = e;
                }
            }, "tokenizer-segment-" + t);
            pool[t].start();
        }
        for (Thread t : pool) {
            while (t.isAlive()) {
                try {
                    t.join(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TokenizerException("segmenting interrupted", e);
                }
                progress.update(Math.min(done.get(), words.length));
            }
        }
        for (Throwable e : failure) {
            if (e != null) {
                throw new TokenizerException("segmenting words failed: " + e, e);
            }
        }
        progress.finish(words.length);
        return out;
    }

    private static int maxId(Map<String, Integer> vocab) {
        int max = -1;
        for (int id : vocab.values()) {
            max = Math.max(max, id);
        }
        return max;
    }

    private static List<Integer> boxed(int[] ids) {
        List<Integer> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }
}

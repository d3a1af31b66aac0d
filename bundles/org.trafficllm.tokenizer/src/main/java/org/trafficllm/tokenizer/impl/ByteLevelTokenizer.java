package org.trafficllm.tokenizer.impl;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A byte-level BPE tokenizer assembled from a {@code tokenizer.json}: added tokens, normalizer,
 * pre-tokenizer, BPE model and {@code ByteLevel} decoder, in Hugging Face tokenizers' order.
 * Immutable; every thread encodes through its own {@link Encoder}.
 */
final class ByteLevelTokenizer {
    private final BpeModel model;
    private final TextNormalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final AddedTokenSplitter rawAddedTokens;
    private final AddedTokenSplitter normalizedAddedTokens;
    private final Map<Integer, String> addedContent = new HashMap<>();
    private final Map<String, Integer> addedIds = new HashMap<>();
    private final Set<Integer> specialIds = new HashSet<>();
    private final boolean ignoreMerges;

    ByteLevelTokenizer(BpeModel model, TextNormalizer normalizer, PreTokenizer preTokenizer, List<AddedToken> added,
            boolean ignoreMerges) {
        this.model = model;
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.ignoreMerges = ignoreMerges;
        rawAddedTokens = new AddedTokenSplitter(added.stream().filter(t -> !t.normalized()).toList());
        normalizedAddedTokens = new AddedTokenSplitter(added.stream().filter(AddedToken::normalized)
                .map(t -> new AddedToken(t.id(), normalizer.apply(t.content()), t.singleWord(), t.lstrip(),
                        t.rstrip(), true, t.special()))
                .toList());
        for (AddedToken t : added) {
            addedContent.put(t.id(), t.content());
            addedIds.putIfAbsent(t.content(), t.id());
            if (t.special()) {
                specialIds.add(t.id());
            }
        }
    }

    BpeModel model() {
        return model;
    }

    /** The id of an added token, or -1. */
    int addedId(String content) {
        return addedIds.getOrDefault(content, -1);
    }

    /** The model's ids of one pre-tokenized word, the way the whole pipeline encodes it. */
    int[] wordIds(String word, BpeWordEncoder encoder) {
        if (ignoreMerges) {
            int whole = model.id(word);
            if (whole >= 0) {
                return new int[] {whole};
            }
        }
        return encoder.encode(word);
    }

    /** The largest id, of the model or of an added token, plus one. */
    int idLimit() {
        int limit = model.idLimit();
        for (int id : addedContent.keySet()) {
            limit = Math.max(limit, id + 1);
        }
        return limit;
    }

    /**
     * Hands the pre-tokenized words of {@code text} (byte-level strings) to {@code sink}, and the
     * ids of the added tokens found in it to {@code addedSink}.
     */
    void words(String text, Consumer<String> sink, java.util.function.IntConsumer addedSink) {
        rawAddedTokens.split(text, (piece, id) -> {
            if (id >= 0) {
                addedSink.accept(id);
                return;
            }
            String normalized = normalizer.apply(piece);
            normalizedAddedTokens.split(normalized, (inner, innerId) -> {
                if (innerId >= 0) {
                    addedSink.accept(innerId);
                } else {
                    preTokenizer.split(inner, sink);
                }
            });
        });
    }

    /** The text of {@code ids}; ids of special added tokens are left out when {@code skipSpecial}. */
    String decode(int[] ids, boolean skipSpecial) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            String token = addedContent.get(id);
            if (token != null && skipSpecial && specialIds.contains(id)) {
                continue;
            }
            if (token == null) {
                token = model.token(id);
            }
            if (token != null) {
                appendBytes(token, bytes);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The byte-level decoder's bytes of one token: its alphabet bytes, or its UTF-8 when any character is outside. */
    private static void appendBytes(String token, ByteArrayOutputStream out) {
        for (int i = 0; i < token.length(); i++) {
            if (ByteLevelAlphabet.byteOf(token.charAt(i)) < 0) {
                out.writeBytes(token.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        for (int i = 0; i < token.length(); i++) {
            out.write(ByteLevelAlphabet.byteOf(token.charAt(i)));
        }
    }

    Encoder newEncoder() {
        return new Encoder();
    }

    /** Encodes texts with reusable scratch space. Not thread-safe. */
    final class Encoder {
        private final BpeWordEncoder words = model.newWordEncoder();
        private final IntSequence ids = new IntSequence(1024);
        private final Consumer<String> wordSink = this::encodeWord;
        private final java.util.function.IntConsumer addedSink = ids::add;

        /** The ids of {@code text}, without post-processor tokens. */
        int[] encode(String text) {
            return encodeInto(text).toArray();
        }

        /** How many ids {@code text} encodes to. */
        int count(String text) {
            return encodeInto(text).size();
        }

        private IntSequence encodeInto(String text) {
            ids.clear();
            words(text, wordSink, addedSink);
            return ids;
        }

        private void encodeWord(String word) {
            if (ignoreMerges) {
                int whole = model.id(word);
                if (whole >= 0) {
                    ids.add(whole);
                    return;
                }
            }
            words.encode(word, ids);
        }
    }
}

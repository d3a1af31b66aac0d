package org.trafficllm.tokenizer.impl;

import java.util.List;
import java.util.Map;

/**
 * The vocabulary and ranked merges of a Hugging Face {@code BPE} model, immutable and shared by
 * the threads that encode with it. Rank is the merge's position in the file; when a pair is
 * listed twice the later entry wins, as in Hugging Face tokenizers.
 */
final class BpeModel {
    private final Map<String, Integer> vocab;
    private final String[] tokens;
    private final int[] charIds;
    private final PairIndex merges;
    private final int[] ranks;
    private final int[] mergedIds;

    /**
     * @param vocab token → id
     * @param mergePairs merges in rank order, as pairs of ids whose concatenation is in the vocab
     */
    BpeModel(Map<String, Integer> vocab, List<int[]> mergePairs) {
        this.vocab = Map.copyOf(vocab);
        int maxId = -1;
        for (int id : vocab.values()) {
            maxId = Math.max(maxId, id);
        }
        tokens = new String[maxId + 1];
        vocab.forEach((token, id) -> tokens[id] = token);
        charIds = new int[0x200];
        for (int c = 0; c < charIds.length; c++) {
            Integer id = vocab.get(String.valueOf((char) c));
            charIds[c] = id == null ? -1 : id;
        }
        merges = new PairIndex(mergePairs.size());
        ranks = new int[mergePairs.size()];
        mergedIds = new int[mergePairs.size()];
        for (int rank = 0; rank < mergePairs.size(); rank++) {
            int[] p = mergePairs.get(rank);
            int slot = merges.add(PairIndex.pair(p[0], p[1]));
            ranks[slot] = rank;
            mergedIds[slot] = vocab.get(tokens[p[0]] + tokens[p[1]]);
        }
    }

    /** The id of a token, or -1. */
    int id(String token) {
        Integer id = vocab.get(token);
        return id == null ? -1 : id;
    }

    /** The token of an id, or {@code null} when the id is not in the model's vocabulary. */
    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    /** The largest id plus one. */
    int idLimit() {
        return tokens.length;
    }

    int mergeCount() {
        return ranks.length;
    }

    Map<String, Integer> vocab() {
        return vocab;
    }

    int charId(int codePoint) {
        if (codePoint < charIds.length) {
            return charIds[codePoint];
        }
        return id(new String(Character.toChars(codePoint)));
    }

    /** The merge slot of a pair, or -1 when the pair is not merged. */
    int mergeSlot(int left, int right) {
        return merges.find(PairIndex.pair(left, right));
    }

    int rankAt(int slot) {
        return ranks[slot];
    }

    int mergedIdAt(int slot) {
        return mergedIds[slot];
    }

    /** A word encoder with its own scratch space; use one per thread. */
    BpeWordEncoder newWordEncoder() {
        return new BpeWordEncoder(this);
    }
}

package org.trafficllm.tokenizer.impl;

/** One entry of a {@code tokenizer.json}'s {@code added_tokens}. */
record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized,
        boolean special) {
}

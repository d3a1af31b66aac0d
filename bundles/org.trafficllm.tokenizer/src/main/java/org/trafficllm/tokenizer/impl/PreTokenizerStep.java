package org.trafficllm.tokenizer.impl;

import java.util.function.Consumer;

/** One step of a Hugging Face pre-tokenizer: cuts or rewrites one piece of text. */
interface PreTokenizerStep {

    /** Hands every non-empty piece that {@code piece} becomes to {@code sink}, in order. */
    void split(String piece, Consumer<String> sink);
}

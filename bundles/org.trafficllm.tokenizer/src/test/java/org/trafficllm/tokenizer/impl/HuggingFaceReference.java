package org.trafficllm.tokenizer.impl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/** Hugging Face tokenizers (the Rust library, through DJL) loading a tokenizer.json file. */
final class HuggingFaceReference implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    HuggingFaceReference(Path tokenizerJson) throws IOException {
        tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .build();
    }

    int[] encode(String text) {
        return Arrays.stream(tokenizer.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    /** For every token, the index of the pre-tokenized piece (word or added token) it comes from. */
    int[] wordIds(String text) {
        return Arrays.stream(tokenizer.encode(text, false, false).getWordIds()).mapToInt(Math::toIntExact).toArray();
    }

    String decode(int[] ids) {
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

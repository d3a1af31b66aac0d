package org.trafficllm.model.impl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import org.trafficllm.api.model.ModelException;

/**
 * A {@code tokenizer.json} through DJL's binding of the Hugging Face tokenizers
 * library. Texts are encoded without special tokens, truncation or padding: the
 * callers place special tokens and decide lengths themselves.
 */
final class TextTokenizer implements AutoCloseable {
    private static final Map<String, String> OPTIONS = Map.of("addSpecialTokens", "false", "truncation", "false",
            "padding", "false");
    private final HuggingFaceTokenizer tokenizer;

    private TextTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Loads the tokenizer; the first call loads its native library, so it must run on an engine thread. */
    static TextTokenizer open(Path file) throws ModelException {
        try {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(file, OPTIONS));
        } catch (IOException | RuntimeException e) {
            throw new ModelException(file + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    int[] encode(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    String[] tokens(String text) {
        return tokenizer.encode(text, false, false).getTokens();
    }

    String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

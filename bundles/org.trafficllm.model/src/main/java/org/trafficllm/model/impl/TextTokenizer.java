package org.trafficllm.model.impl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import org.trafficllm.api.model.ModelException;

/**
 * A {@code tokenizer.json} through DJL's binding of the Hugging Face tokenizers
 * library. Texts are encoded without special tokens, truncation or padding: the
 * callers place special tokens and decide lengths themselves.
 *
 * <p>The native tokenizer is freed by {@link #close}, which waits for the calls in
 * progress (a task loading on another thread while its base model is unloaded) and
 * makes later calls fail with {@link IllegalStateException} instead of reading freed
 * memory.
 */
final class TextTokenizer implements AutoCloseable {
    private static final Map<String, String> OPTIONS = Map.of("addSpecialTokens", "false", "truncation", "false",
            "padding", "false");
    private final HuggingFaceTokenizer tokenizer;
    /** Read: a call on the native tokenizer; write: freeing it. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Guarded by {@link #lock}. */
    private boolean closed;

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
        return toInts(open(() -> tokenizer.encode(text, false, false)).getIds());
    }

    String[] tokens(String text) {
        return open(() -> tokenizer.encode(text, false, false)).getTokens();
    }

    String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return open(() -> tokenizer.decode(l, true));
    }

    /** Runs a call on the native tokenizer unless it has been freed. */
    private <T> T open(Supplier<T> call) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the tokenizer has been closed with its base model");
            }
            return call.get();
        } finally {
            lock.readLock().unlock();
        }
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
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                tokenizer.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}

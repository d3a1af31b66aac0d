package org.trafficllm.tokenizer.impl;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.dto.TextCorpus;

/**
 * Reads the texts of a {@link TextCorpus} once, in order: the lines of its files, then its
 * texts. With a sample size it keeps a seeded uniform sample (reservoir sampling) and hands it
 * on in corpus order, so the same corpus and seed always give the same sample.
 */
final class CorpusReader {

    /** Receives texts; may stop the reading by throwing. */
    interface TextSink {
        void text(String text) throws TokenizerException;
    }

    private final TextCorpus corpus;
    private final long sampleSize;
    private final long seed;

    CorpusReader(TextCorpus corpus, long sampleSize, long seed) {
        this.corpus = corpus;
        this.sampleSize = sampleSize;
        this.seed = seed;
    }

    /** Fails when the corpus is missing or a file of it cannot be opened, before anything is read. */
    void check() throws TokenizerException {
        if (corpus == null || (corpus.files == null || corpus.files.isEmpty()) && corpus.texts == null) {
            throw new TokenizerException("corpus: no files and no texts given");
        }
        if (corpus.files != null) {
            for (Path file : corpus.files) {
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw new TokenizerException(file + ": corpus file does not exist or cannot be read");
                }
            }
        }
    }

    /** How many texts {@link #read} will deliver, when that is known without reading; else -1. */
    long knownSize() {
        if (corpus.files != null && !corpus.files.isEmpty() || !(corpus.texts instanceof Collection)) {
            return -1;
        }
        long size = ((Collection<?>) corpus.texts).size();
        return sampleSize > 0 ? Math.min(size, sampleSize) : size;
    }

    void read(TextSink sink) throws TokenizerException {
        if (sampleSize <= 0) {
            readAll(sink);
            return;
        }
        List<String> reservoir = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        Random random = new Random(seed);
        long[] seen = {0};
        readAll(text -> {
            long n = seen[0]++;
            if (n < sampleSize) {
                reservoir.add(text);
                positions.add(n);
            } else {
                long j = (long) (random.nextDouble() * (n + 1));
                if (j < sampleSize) {
                    reservoir.set((int) j, text);
                    positions.set((int) j, n);
                }
            }
        });
        Integer[] order = new Integer[reservoir.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(positions.get(a), positions.get(b)));
        for (Integer i : order) {
            sink.text(reservoir.get(i));
        }
    }

    private void readAll(TextSink sink) throws TokenizerException {
        if (corpus.files != null) {
            for (Path file : corpus.files) {
                readLines(file, sink);
            }
        }
        if (corpus.texts != null) {
            long index = 0;
            try {
                for (String text : corpus.texts) {
                    if (text == null) {
                        throw new TokenizerException("corpus.texts[" + index + "]: null text");
                    }
                    sink.text(text);
                    index++;
                }
            } catch (RuntimeException e) {
                throw new TokenizerException("corpus.texts[" + index + "]: " + e, e);
            }
        }
    }

    /** Lines end at LF (a CR before it is dropped); each line is decoded on its own, so errors name their line. */
    private static void readLines(Path file, TextSink sink) throws TokenizerException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        long line = 0;
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = new BufferedInputStream(
                        file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw,
                        1 << 16)) {
            byte[] buffer = new byte[1 << 12];
            int length = 0;
            for (int b = in.read(); ; b = in.read()) {
                if (b == '\n' || b < 0) {
                    if (b < 0 && length == 0) {
                        break;
                    }
                    line++;
                    int end = length > 0 && buffer[length - 1] == '\r' ? length - 1 : length;
                    if (end > 0) {
                        try {
                            sink.text(utf8.decode(ByteBuffer.wrap(buffer, 0, end)).toString());
                        } catch (CharacterCodingException e) {
                            throw new TokenizerException(file + ": line " + line + " is not valid UTF-8", e);
                        }
                    }
                    length = 0;
                    if (b < 0) {
                        break;
                    }
                } else {
                    if (length == buffer.length) {
                        buffer = Arrays.copyOf(buffer, length * 2);
                    }
                    buffer[length++] = (byte) b;
                }
            }
        } catch (TokenizerException e) {
            throw e;
        } catch (IOException e) {
            throw new TokenizerException(file + ": read failed after line " + line + ": " + e.getMessage(), e);
        }
    }
}

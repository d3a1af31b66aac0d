package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.dto.TextCorpus;

class CorpusReaderTest {
    @TempDir
    Path dir;

    private static List<String> read(TextCorpus corpus, long sample, long seed) throws TokenizerException {
        List<String> out = new ArrayList<>();
        CorpusReader reader = new CorpusReader(corpus, sample, seed);
        reader.check();
        reader.read(out::add);
        return out;
    }

    @Test
    void readsGzipAndPlainFilesThenTextsSkippingEmptyLines() throws Exception {
        Path gz = dir.resolve("a.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("one\n\ntwo ü\n".getBytes(StandardCharsets.UTF_8));
        }
        Path plain = Files.writeString(dir.resolve("b.txt"), "three\r\nfour");
        TextCorpus corpus = new TextCorpus();
        corpus.files = List.of(gz, plain);
        corpus.texts = List.of("five");
        assertThat(read(corpus, 0, 0)).containsExactly("one", "two ü", "three", "four", "five");
    }

    @Test
    void samplesTheSameTextsForTheSameSeedInCorpusOrder() throws Exception {
        TextCorpus corpus = new TextCorpus();
        corpus.texts = IntStream.range(0, 1000).mapToObj(i -> String.format("%04d", i)).toList();
        List<String> a = read(corpus, 50, 7);
        assertThat(a).hasSize(50).doesNotHaveDuplicates().isSorted();
        assertThat(read(corpus, 50, 7)).isEqualTo(a);
        assertThat(read(corpus, 50, 8)).isNotEqualTo(a);
        assertThat(read(corpus, 5000, 7)).isEqualTo(corpus.texts);
    }

    @Test
    void invalidUtf8NamesTheFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', '\n', 'x', (byte) 0xC3, '(', '\n'});
        TextCorpus corpus = new TextCorpus();
        corpus.files = List.of(bad);
        assertThatThrownBy(() -> read(corpus, 0, 0)).isInstanceOf(TokenizerException.class)
                .hasMessage(bad + ": line 2 is not valid UTF-8");
    }
}

package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.tokenizer.TokenizerException;
import org.trafficllm.api.tokenizer.dto.PreTokenization;
import org.trafficllm.api.tokenizer.dto.TokenizerProgress;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;

/** Bad requests fail with one line naming the input, before any training and without writing. */
class TrainingRequestValidationTest {
    @TempDir
    Path dir;

    private final List<TokenizerProgress> reports = new ArrayList<>();

    /** A corpus that fails the test if anything reads it. */
    private static final Iterable<String> UNREADABLE = () -> new Iterator<>() {
        @Override
        public boolean hasNext() {
            throw new AssertionError("the corpus was read");
        }

        @Override
        public String next() {
            throw new AssertionError("the corpus was read");
        }
    };

    private TokenizerTrainingRequest request(Consumer<TokenizerTrainingRequest> change) {
        TokenizerTrainingRequest r = new TokenizerTrainingRequest();
        r.baseTokenizer = SharedFiles.fixtureTokenizer();
        r.corpus.texts = UNREADABLE;
        r.newTokens = 10;
        r.output = dir.resolve("out/tokenizer.json");
        change.accept(r);
        return r;
    }

    private void assertRefused(TokenizerTrainingRequest r, String... fragments) {
        assertThatThrownBy(() -> TrainerFixture.trainer(2).train(r, reports::add))
                .isInstanceOf(TokenizerException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n").contains(fragments);
                });
        assertThat(r.output).doesNotExist();
        assertThat(reports).noneMatch(p -> p.phase.equals("segment") || p.phase.equals("merge"));
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void baseThatIsNotBpe() throws Exception {
        Path wordPiece = file("wordpiece.json", "{\"version\":\"1.0\",\"model\":{\"type\":\"WordPiece\",\"vocab\":{}}}");
        assertRefused(request(r -> r.baseTokenizer = wordPiece), "wordpiece.json", "model.type is \"WordPiece\"",
                "expected \"BPE\"");
    }

    @Test
    void malformedBase() throws Exception {
        Path broken = file("broken.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0,}");
        assertRefused(request(r -> r.baseTokenizer = broken), "broken.json", "malformed JSON at line 1");
        assertRefused(request(r -> {
            r.baseTokenizer = null;
            r.baseTokenizerJson = "[1, 2]".getBytes(StandardCharsets.UTF_8);
        }), "baseTokenizerJson", "not a JSON object");
    }

    @Test
    void baseWithoutByteLevel() throws Exception {
        String json = Files.readString(SharedFiles.fixtureTokenizer()).replaceFirst(
                "\"pre_tokenizer\": *\\{[^}]*\\}", "\"pre_tokenizer\": {\"type\": \"Whitespace\"}");
        Path whitespace = file("whitespace.json", json);
        assertRefused(request(r -> r.baseTokenizer = whitespace), "whitespace.json",
                "pre_tokenizer.type is \"Whitespace\"");
    }

    @Test
    void mergeOfUnknownTokens() throws Exception {
        String json = Files.readString(SharedFiles.fixtureTokenizer()).replaceFirst("\"merges\": *\\[",
                "\"merges\": [[\"zz\", \"q\"],");
        Path bad = file("bad-merge.json", json);
        assertRefused(request(r -> r.baseTokenizer = bad), "bad-merge.json", "model.merges[0]", "\"zz\"");
    }

    @Test
    void missingBase() {
        assertRefused(request(r -> r.baseTokenizer = dir.resolve("nowhere.json")), "nowhere.json", "no such file");
    }

    @Test
    void vocabularyTargetBelowTheBase() {
        assertRefused(request(r -> {
            r.newTokens = 0;
            r.targetVocabSize = 300;
        }), "targetVocabSize 300", "384");
    }

    @Test
    void sizeGivenTwiceOrNotAtAll() {
        assertRefused(request(r -> r.targetVocabSize = 500), "exactly one of newTokens");
        assertRefused(request(r -> r.newTokens = 0), "exactly one of newTokens");
    }

    @Test
    void emptyCorpus() throws Exception {
        Path blank = file("blank.txt", "\n\n\n");
        assertRefused(request(r -> r.corpus.texts = List.of()), "corpus: no texts");
        assertRefused(request(r -> {
            r.corpus.texts = null;
            r.corpus.files = List.of(blank);
        }), "corpus: no texts");
        assertRefused(request(r -> r.corpus.texts = null), "corpus: no files and no texts");
    }

    @Test
    void missingCorpusFile() {
        assertRefused(request(r -> {
            r.corpus.texts = null;
            r.corpus.files = List.of(dir.resolve("absent.txt.gz"));
        }), "absent.txt.gz", "does not exist");
    }

    @Test
    void oddHexChunk() {
        assertRefused(request(r -> {
            r.preTokenization = PreTokenization.TRAFFIC;
            r.hexChunk = 3;
        }), "hexChunk 3");
    }

    @Test
    void duplicateAddedToken() {
        assertRefused(request(r -> {
            r.specialTokens = List.of("<pck>");
            r.addedTokens = List.of("<pck>");
        }), "\"<pck>\" is listed twice");
    }
}

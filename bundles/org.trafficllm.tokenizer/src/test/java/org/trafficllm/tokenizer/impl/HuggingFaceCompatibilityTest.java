package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Our encoder and decoder against Hugging Face tokenizers on the fixture tokenizer. */
class HuggingFaceCompatibilityTest {

    @Test
    void fixtureTokenizerEncodesAndDecodesLikeHuggingFace() throws Exception {
        Path file = SharedFiles.fixtureTokenizer();
        List<String> texts = new ArrayList<>(TextSamples.instructions(37));
        texts.addAll(TextSamples.httpRequests("anomalousTrafficTest.txt.gz", 150));
        texts.addAll(TextSamples.hardCases(7, 300));
        assertSameAsHuggingFace(file, texts);
    }

    /** Our pre-tokenization as Hugging Face reports it: each token's piece index. */
    private static int[] wordIds(ByteLevelTokenizer tokenizer, String text) {
        BpeWordEncoder words = tokenizer.model().newWordEncoder();
        List<Integer> out = new ArrayList<>();
        int[] piece = {0};
        tokenizer.words(text, word -> {
            for (int i = tokenizer.wordIds(word, words).length; i > 0; i--) {
                out.add(piece[0]);
            }
            piece[0]++;
        }, id -> out.add(piece[0]++));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static void assertSameAsHuggingFace(Path file, List<String> texts) throws Exception {
        TokenizerJson json = TokenizerJson.read(file);
        ByteLevelTokenizer ours = json.tokenizer();
        // Stripping added tokens swallow whitespace, and a normalizer changes text: both keep decode from giving the input back.
        boolean lossless = json.addedTokens().stream().noneMatch(t -> t.lstrip() || t.rstrip());
        ByteLevelTokenizer.Encoder encoder = ours.newEncoder();
        try (HuggingFaceReference reference = new HuggingFaceReference(file)) {
            for (String text : texts) {
                int[] expected = reference.encode(text);
                int[] ids = encoder.encode(text);
                assertThat(ids).as("%s: %s", file.getFileName(), text).containsExactly(expected);
                assertThat(wordIds(ours, text)).as("word of every token: %s", text)
                        .containsExactly(reference.wordIds(text));
                assertThat(ours.decode(ids, false)).as("decode %s", text).isEqualTo(reference.decode(ids));
                if (lossless && Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
                    assertThat(ours.decode(ids, false)).as("round trip %s", text).isEqualTo(text);
                }
            }
        }
    }
}

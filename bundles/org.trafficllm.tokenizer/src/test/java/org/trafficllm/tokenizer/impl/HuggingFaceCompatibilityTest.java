package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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

    static void assertSameAsHuggingFace(Path file, List<String> texts) throws Exception {
        ByteLevelTokenizer ours = TokenizerJson.read(file).tokenizer();
        ByteLevelTokenizer.Encoder encoder = ours.newEncoder();
        try (HuggingFaceReference reference = new HuggingFaceReference(file)) {
            for (String text : texts) {
                int[] expected = reference.encode(text);
                int[] ids = encoder.encode(text);
                assertThat(ids).as("%s: %s", file.getFileName(), text).containsExactly(expected);
                assertThat(ours.decode(ids, false)).as("decode %s", text).isEqualTo(reference.decode(ids));
            }
        }
    }
}

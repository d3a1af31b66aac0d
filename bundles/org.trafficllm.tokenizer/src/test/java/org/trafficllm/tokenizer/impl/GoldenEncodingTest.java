package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Our encoder against the ids the reference Python stack wrote for the fixture tokenizer. */
class GoldenEncodingTest {

    @Test
    void reproducesTheReferenceIdsTokensAndDecodedText() throws Exception {
        Path dir = SharedFiles.fixtures().resolve("tokenizer");
        ByteLevelTokenizer tokenizer = TokenizerJson.read(dir.resolve("tokenizer.json")).tokenizer();
        JsonNode golden = TokenizerJson.JSON.readTree(dir.resolve("golden.json").toFile());
        ByteLevelTokenizer.Encoder encoder = tokenizer.newEncoder();

        assertThat(tokenizer.idLimit()).isEqualTo(golden.get("vocab_size").asInt());
        assertThat(golden.get("cases")).hasSize(3);
        for (JsonNode c : golden.get("cases")) {
            int[] expected = new int[c.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.get("ids").get(i).asInt();
            }
            int[] ids = encoder.encode(c.get("text").asText());
            assertThat(ids).as(c.get("text").asText()).containsExactly(expected);
            for (int i = 0; i < ids.length; i++) {
                assertThat(tokenizer.model().token(ids[i])).isEqualTo(c.get("tokens").get(i).asText());
            }
            assertThat(tokenizer.decode(ids, false)).isEqualTo(c.get("decoded").asText());
        }
    }
}

package org.trafficllm.model.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class TextTokenizerTest {

    @Test
    void idsTokensAndDecodedTextMatchTheReference() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Fixtures.dir("tokenizer").resolve("golden.json").toFile());
        try (EngineExecutor engine = new EngineExecutor(1);
                TextTokenizer tokenizer = engine.call(() -> TextTokenizer.open(Fixtures.tokenizer()))) {
            assertThat(golden.get("cases").size()).isEqualTo(3);
            for (JsonNode c : golden.get("cases")) {
                String text = c.get("text").asText();
                int[] ids = tokenizer.encode(text);
                assertThat(ids).as(text).containsExactly(Fixtures.ints(c.get("ids")));
                String[] expectedTokens = new String[c.get("tokens").size()];
                for (int i = 0; i < expectedTokens.length; i++) {
                    expectedTokens[i] = c.get("tokens").get(i).asText();
                }
                assertThat(tokenizer.tokens(text)).containsExactly(expectedTokens);
                assertThat(tokenizer.decode(ids)).isEqualTo(c.get("decoded").asText());
            }
        }
    }
}

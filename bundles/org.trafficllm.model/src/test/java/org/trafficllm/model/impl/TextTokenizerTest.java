package org.trafficllm.model.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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

    /**
     * Closing waits for the encodes in progress on other threads (a task loading while its base
     * model is unloaded) and refuses later ones with a message, instead of reading freed memory.
     */
    @Test
    void closingWaitsForCallsInProgressAndRefusesLaterOnes() throws Exception {
        String text = "tcp.srcport: 443, tcp.flags: 0x0018, data.data: 1603010200010001fc0303";
        try (EngineExecutor engine = new EngineExecutor(1)) {
            TextTokenizer tokenizer = engine.call(() -> TextTokenizer.open(Fixtures.tokenizer()));
            int[] expected = tokenizer.encode(text);
            AtomicInteger encoded = new AtomicInteger();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            CountDownLatch running = new CountDownLatch(1);
            Thread caller = new Thread(() -> {
                try {
                    while (true) {
                        assertThat(tokenizer.encode(text)).containsExactly(expected);
                        encoded.incrementAndGet();
                        running.countDown();
                    }
                } catch (Throwable t) {
                    ended.set(t);
                }
            }, "encoding-while-closing");
            caller.start();
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
            tokenizer.close();
            caller.join(30_000);

            assertThat(caller.isAlive()).isFalse();
            assertThat(encoded.get()).isPositive();
            assertThat(ended.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the tokenizer has been closed with its base model");
            assertThatThrownBy(() -> tokenizer.decode(expected)).isInstanceOf(IllegalStateException.class);
            tokenizer.close();
        }
    }
}

package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.tokenizer.dto.PreTokenization;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingResult;

import com.fasterxml.jackson.databind.JsonNode;

/** A byte-level BPE trained from the bare byte alphabet on natural-language instructions. */
class ScratchTrainingTest {

    @Test
    void trainsAByteLevelBpeThatHuggingFaceLoadsAndEncodesIdentically(@TempDir Path dir) throws Exception {
        List<List<String>> split = TextSamples.instructionSplit();
        List<String> train = split.get(0);
        List<String> held = new ArrayList<>(split.get(1));
        TokenizerTrainingRequest r = new TokenizerTrainingRequest();
        r.corpus.texts = train;
        r.specialTokens = List.of("<|endoftext|>", "<pad>");
        r.targetVocabSize = 1024;
        r.preTokenization = PreTokenization.BASE;
        r.output = dir.resolve("scratch/tokenizer.json");

        TokenizerTrainingResult result = TrainerFixture.trainer(2).train(r, null);

        assertThat(result.baseVocabSize).isEqualTo(258);
        assertThat(result.vocabSize).isEqualTo(1024);
        assertThat(result.tokensAdded).isEqualTo(1024 - 258);
        assertThat(result.specialTokensAdded).isEqualTo(2);
        JsonNode json = TokenizerJson.JSON.readTree(result.tokenizer.toFile());
        assertThat(json.get("model").get("vocab").get("<|endoftext|>").asInt()).isZero();
        assertThat(json.get("model").get("vocab").get("<pad>").asInt()).isEqualTo(1);
        assertThat(json.get("added_tokens")).hasSize(2);
        assertThat(json.get("added_tokens").get(1).get("special").asBoolean()).isTrue();
        for (char c : ByteLevelAlphabet.characters()) {
            assertThat(json.get("model").get("vocab").get(String.valueOf(c)).asInt()).isBetween(2, 257);
        }
        assertThat(json.get("model").get("merges")).hasSize(1024 - 258);
        BpeTokenizerTrainerTest.assertDecompositionsComposeTheirTokens(result);

        held.addAll(TextSamples.hardCases(3, 100));
        HuggingFaceCompatibilityTest.assertSameAsHuggingFace(result.tokenizer, held);
        ByteLevelTokenizer tokenizer = TokenizerJson.read(result.tokenizer).tokenizer();
        ByteLevelTokenizer.Encoder encoder = tokenizer.newEncoder();
        long bytes = 0;
        long tokens = 0;
        for (String text : held.subList(0, 900)) {
            int[] ids = encoder.encode(text);
            assertThat(tokenizer.decode(ids, false)).isEqualTo(text);
            bytes += WordCounter.utf8Length(text);
            tokens += ids.length;
        }
        // English instructions: a 1k BPE learned on them spends well under one token per two bytes.
        assertThat((double) bytes / tokens).isGreaterThan(2.5);
    }
}

package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.tokenizer.dto.PreTokenization;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Bases shaped like today's open models rather than GPT-2: a Llama 3 style Split regex before
 * a regex-less ByteLevel, an NFC normalizer, {@code ignore_merges}, merges written as
 * {@code "a b"} strings, and added tokens that live outside the model's vocabulary (their ids
 * come from Hugging Face tokenizers' own numbering) with lstrip/rstrip/single_word flags.
 */
class OtherBaseShapesTest {
    private static final String LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    @TempDir
    Path dir;

    private Path llamaShapedBase() throws Exception {
        ObjectNode root = (ObjectNode) TokenizerJson.JSON.readTree(SharedFiles.fixtureTokenizer().toFile());
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", LLAMA3_SPLIT);
        split.put("behavior", "Isolated").put("invert", false);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", false);
        ObjectNode model = (ObjectNode) root.get("model");
        model.put("ignore_merges", true);
        ArrayNode merges = model.putArray("merges");
        for (JsonNode m : TokenizerJson.JSON.readTree(SharedFiles.fixtureTokenizer().toFile()).get("model").get("merges")) {
            merges.add(m.get(0).asText() + " " + m.get(1).asText());
        }
        ArrayNode added = (ArrayNode) root.get("added_tokens");
        added.addObject().put("id", 384).put("content", "<|begin_of_text|>").put("single_word", false)
                .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        added.addObject().put("id", 385).put("content", "<mask>").put("single_word", false).put("lstrip", true)
                .put("rstrip", true).put("normalized", true).put("special", false);
        added.addObject().put("id", 386).put("content", "word").put("single_word", true).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", false);
        Path file = dir.resolve("llama-shaped.json");
        Files.write(file, TokenizerJson.JSON.writeValueAsBytes(root));
        return file;
    }

    private static List<String> texts() throws Exception {
        List<String> texts = new ArrayList<>(TextSamples.instructions(97));
        texts.addAll(TextSamples.hardCases(5, 150));
        texts.addAll(List.of("<|begin_of_text|>Hello<mask>there  <mask>  x<mask>", "a word, words, sword word.",
                "Cafe\u0301 vs Café", "12345678 ip.src: 10.0.0.1 DON'T It'S", "<pck>4500003c1c46400040063a2b"));
        return texts;
    }

    @Test
    void baseEncodesLikeHuggingFace() throws Exception {
        Path base = llamaShapedBase();
        HuggingFaceCompatibilityTest.assertSameAsHuggingFace(base, texts());
        ByteLevelTokenizer tokenizer = TokenizerJson.read(base).tokenizer();
        assertThat(tokenizer.addedId("<|begin_of_text|>")).isEqualTo(384);
        assertThat(tokenizer.addedId("<mask>")).isEqualTo(385);
        assertThat(tokenizer.idLimit()).isEqualTo(387);
    }

    @Test
    void extensionsKeepTheBaseAndEncodeLikeHuggingFace() throws Exception {
        Path base = llamaShapedBase();
        List<String> corpus = new ArrayList<>(TextSamples.sessionHex(0, 300));
        corpus.addAll(TextSamples.httpRequests("normalTrafficTraining.txt.gz", 300));
        for (PreTokenization pre : PreTokenization.values()) {
            TokenizerTrainingRequest r = new TokenizerTrainingRequest();
            r.baseTokenizer = base;
            r.corpus.texts = corpus;
            r.newTokens = 300;
            r.addedTokens = List.of("<pck>");
            r.preTokenization = pre;
            r.output = dir.resolve(pre + ".json");
            TokenizerTrainingResult result = TrainerFixture.trainer(2).train(r, null);

            assertThat(result.baseVocabSize).isEqualTo(387);
            JsonNode json = TokenizerJson.JSON.readTree(result.tokenizer.toFile());
            assertThat(json.get("model").get("merges").get(json.get("model").get("merges").size() - 1).isTextual())
                    .isTrue();
            assertThat(json.get("model").get("vocab").get("<|begin_of_text|>").asInt()).isEqualTo(384);
            assertThat(json.get("model").get("vocab").get("<pck>").asInt()).isEqualTo(387);
            BpeTokenizerTrainerTest.assertKeepsBase(base, result.tokenizer);
            List<String> held = texts();
            held.addAll(TextSamples.sessionHex(7000, 50));
            HuggingFaceCompatibilityTest.assertSameAsHuggingFace(result.tokenizer, held);
        }
    }
}

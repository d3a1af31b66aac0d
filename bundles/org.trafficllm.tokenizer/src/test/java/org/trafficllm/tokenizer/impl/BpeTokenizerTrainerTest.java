package org.trafficllm.tokenizer.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.tokenizer.dto.PreTokenization;
import org.trafficllm.api.tokenizer.dto.TokenizerProgress;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingRequest;
import org.trafficllm.api.tokenizer.dto.TokenizerTrainingResult;

import com.fasterxml.jackson.databind.JsonNode;

/** Training extensions of the fixture tokenizer and checking them against Hugging Face tokenizers. */
class BpeTokenizerTrainerTest {
    private static List<String> trainHttp;
    private static List<String> testHttp;
    private static List<String> trainFlows;
    private static List<String> testFlows;

    @TempDir
    Path dir;

    @BeforeAll
    static void corpora() throws Exception {
        trainHttp = TextSamples.httpRequests("normalTrafficTraining.txt.gz", 1500);
        testHttp = TextSamples.httpRequests("normalTrafficTest.txt.gz", 100);
        trainFlows = TextSamples.sessionHex(0, 1200);
        testFlows = TextSamples.sessionHex(9000, 100);
    }

    private static BpeTokenizerTrainer trainer(int threads) {
        return TrainerFixture.trainer(threads);
    }

    private TokenizerTrainingRequest request(PreTokenization preTokenization, String output) {
        TokenizerTrainingRequest r = new TokenizerTrainingRequest();
        r.baseTokenizer = SharedFiles.fixtureTokenizer();
        List<String> texts = new ArrayList<>(trainHttp);
        texts.addAll(trainFlows);
        r.corpus.texts = texts;
        r.newTokens = 600;
        r.addedTokens = List.of("<pck>");
        r.preTokenization = preTokenization;
        r.output = dir.resolve(output);
        return r;
    }

    @Test
    void baseExtensionIsPureAndEncodesLikeHuggingFace() throws Exception {
        List<TokenizerProgress> reports = new ArrayList<>();
        TokenizerTrainingResult result = trainer(2).train(request(PreTokenization.BASE, "base.json"), reports::add);

        assertThat(result.baseVocabSize).isEqualTo(384);
        assertThat(result.specialTokensAdded).isEqualTo(1);
        assertThat(result.tokensAdded).isEqualTo(600);
        assertThat(result.mergesAdded).isEqualTo(600);
        assertThat(result.vocabSize).isEqualTo(384 + 1 + 600);
        assertThat(result.textsRead).isEqualTo(trainHttp.size() + trainFlows.size());
        assertThat(reports).extracting(p -> p.phase).contains("read", "segment", "merge", "write");
        TokenizerProgress read = reports.stream().filter(p -> p.phase.equals("read")).reduce((a, b) -> b).orElseThrow();
        assertThat(read.done).isEqualTo(read.total).isEqualTo(result.textsRead);
        assertThat(reports.stream().filter(p -> p.phase.equals("merge")).reduce((a, b) -> b).orElseThrow().done)
                .isEqualTo(600);
        assertKeepsBase(SharedFiles.fixtureTokenizer(), result.tokenizer);
        assertDecompositionsComposeTheirTokens(result);

        List<String> held = heldOutTexts();
        HuggingFaceCompatibilityTest.assertSameAsHuggingFace(result.tokenizer, held);

        // A pure extension: with every new id expanded into its base ids, the base encoding comes back.
        ByteLevelTokenizer.Encoder base = TokenizerJson.read(SharedFiles.fixtureTokenizer()).tokenizer().newEncoder();
        ByteLevelTokenizer.Encoder extended = TokenizerJson.read(result.tokenizer).tokenizer().newEncoder();
        int pck = TokenizerJson.read(result.tokenizer).tokenizer().addedId("<pck>");
        long baseTokens = 0;
        long extendedTokens = 0;
        for (String text : held) {
            if (text.contains("<pck>")) {
                continue;
            }
            int[] ids = extended.encode(text);
            List<Integer> expanded = new ArrayList<>();
            for (int id : ids) {
                assertThat(id).isNotEqualTo(pck);
                if (id < 384) {
                    expanded.add(id);
                } else {
                    expanded.addAll(result.decomposition.get(id));
                }
            }
            int[] expected = base.encode(text);
            assertThat(expanded).as(text).containsExactly(java.util.Arrays.stream(expected).boxed().toArray(Integer[]::new));
            baseTokens += expected.length;
            extendedTokens += ids.length;
        }
        assertThat(extendedTokens).isLessThan(baseTokens);
    }

    @Test
    void trafficExtensionEncodesLikeHuggingFaceAndCutsHexIntoAlignedWords() throws Exception {
        TokenizerTrainingResult result = trainer(2).train(request(PreTokenization.TRAFFIC, "traffic.json"), null);

        assertKeepsBase(SharedFiles.fixtureTokenizer(), result.tokenizer);
        assertDecompositionsComposeTheirTokens(result);
        JsonNode pre = TokenizerJson.JSON.readTree(result.tokenizer.toFile()).get("pre_tokenizer");
        assertThat(pre.get("type").asText()).isEqualTo("Sequence");
        assertThat(pre.get("pretokenizers").get(0).get("type").asText()).isEqualTo("Split");

        List<String> held = heldOutTexts();
        held.addAll(List.of("tcp.flags.syn: 1, tcp.flags.ack: 0, ip.src: 10.0.0.1, tcp.payload: "
                + "1603010200010001fc0303aabbccddeeff00112233445566778899", "decade2020 facade2021 0xdeadbeefcafebabe1234",
                "abcdef0123456789abcdef0123456789abc", " 00112233445566778899 x00112233445566778899",
                "http.request.uri: /index.html, e.g. www.example.com:8080",
                "tcp.payload: 16:03:01:02:00:01:00:01:fc:03:03:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff"
                        + ":00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:4, eth.src: 00:1a:2b:3c:4d:5e:6f:70",
                "frame.time: Dec 31, 2014 21:20:35.123456789 UTC, ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd"
                        + ":ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:00"));
        HuggingFaceCompatibilityTest.assertSameAsHuggingFace(result.tokenizer, held);

        ByteLevelTokenizer tokenizer = TokenizerJson.read(result.tokenizer).tokenizer();
        String payload = "4500003c1c4640004006b1e6".repeat(3);
        String colonPayload = String.join(":", "16030102000100fc0303aabbccddeeff00112233445566778899aabbccddeeff0011"
                .split("(?<=\\G..)"));
        List<String> words = new ArrayList<>();
        tokenizer.words("ip.src: 10.0.0.1, data: " + payload + ", tcp.payload: " + colonPayload + ", decade2020",
                words::add, id -> {
                });
        int cut = 32 * 3;
        assertThat(words).containsExactly("ip.src:", "Ġ10", ".", "0", ".", "0", ".", "1", ",", "Ġdata", ":",
                "Ġ" + payload.substring(0, 64), payload.substring(64), ",", "Ġtcp.payload:",
                "Ġ" + colonPayload.substring(0, cut), colonPayload.substring(cut), ",", "Ġdecade", "2020");
    }

    @Test
    void sameRequestWritesByteIdenticalFilesWithAnyThreadCount() throws Exception {
        TokenizerTrainingRequest one = request(PreTokenization.TRAFFIC, "one.json");
        one.newTokens = 200;
        one.hexChunk = 8;
        TokenizerTrainingRequest two = request(PreTokenization.TRAFFIC, "two.json");
        two.newTokens = 200;
        two.hexChunk = 8;
        trainer(1).train(one, null);
        trainer(2).train(two, null);
        assertThat(Files.readAllBytes(one.output)).isEqualTo(Files.readAllBytes(two.output));
    }

    @Test
    void interruptedTrainingFailsAndWritesNothing() {
        TokenizerTrainingRequest r = request(PreTokenization.TRAFFIC, "interrupted.json");
        Thread.currentThread().interrupt();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> trainer(2).train(r, null))
                    .isInstanceOf(org.trafficllm.api.tokenizer.TokenizerException.class)
                    .hasMessageContaining("interrupted");
        } finally {
            Thread.interrupted();
        }
        assertThat(r.output).doesNotExist();
    }

    private static List<String> heldOutTexts() {
        List<String> held = new ArrayList<>(testHttp);
        held.addAll(testFlows);
        held.addAll(TextSamples.hardCases(11, 100));
        return held;
    }

    /** Every base id keeps its token, every base merge its rank, every base added token its entry. */
    static void assertKeepsBase(Path base, Path extended) throws Exception {
        JsonNode b = TokenizerJson.JSON.readTree(base.toFile());
        JsonNode e = TokenizerJson.JSON.readTree(extended.toFile());
        Iterator<Map.Entry<String, JsonNode>> vocab = b.get("model").get("vocab").fields();
        while (vocab.hasNext()) {
            Map.Entry<String, JsonNode> entry = vocab.next();
            assertThat(e.get("model").get("vocab").get(entry.getKey())).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        for (int i = 0; i < b.get("model").get("merges").size(); i++) {
            assertThat(e.get("model").get("merges").get(i)).isEqualTo(b.get("model").get("merges").get(i));
        }
        for (int i = 0; i < b.get("added_tokens").size(); i++) {
            assertThat(e.get("added_tokens").get(i)).isEqualTo(b.get("added_tokens").get(i));
        }
        ByteLevelTokenizer baseTokenizer = TokenizerJson.read(base).tokenizer();
        ByteLevelTokenizer extendedTokenizer = TokenizerJson.read(extended).tokenizer();
        for (int id = 0; id < baseTokenizer.idLimit(); id++) {
            assertThat(extendedTokenizer.decode(new int[] {id}, false)).isEqualTo(baseTokenizer.decode(new int[] {id}, false));
        }
    }

    /** A new merged token is exactly the bytes of the base tokens it decomposes into. */
    static void assertDecompositionsComposeTheirTokens(TokenizerTrainingResult result) throws Exception {
        ByteLevelTokenizer tokenizer = TokenizerJson.read(result.tokenizer).tokenizer();
        assertThat(result.decomposition).hasSize(result.vocabSize - result.baseVocabSize);
        for (Map.Entry<Integer, List<Integer>> e : result.decomposition.entrySet()) {
            assertThat(e.getKey()).isGreaterThanOrEqualTo(result.baseVocabSize);
            assertThat(e.getValue()).isNotEmpty().allMatch(id -> id < result.baseVocabSize);
            String token = tokenizer.model().token(e.getKey());
            StringBuilder joined = new StringBuilder();
            e.getValue().forEach(id -> joined.append(tokenizer.model().token(id)));
            assertThat(joined.toString()).isEqualTo(token);
        }
    }
}

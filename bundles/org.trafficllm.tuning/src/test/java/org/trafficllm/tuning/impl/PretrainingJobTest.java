package org.trafficllm.tuning.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.PretrainingRequestDTO;
import org.trafficllm.api.tuning.dto.PretrainingResultDTO;
import org.trafficllm.model.impl.StandaloneModels;

class PretrainingJobTest {
    static StandaloneModels models;
    static CpuTuningService service;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        models = new StandaloneModels();
        service = new CpuTuningService(TuningFixtures.services(models, new LocalBaseModels(models)));
    }

    @AfterAll
    static void stop() {
        models.close();
    }

    /** A detection dataset (train and test) and an instruction set, made here. */
    private PretrainingRequestDTO request(Path out) throws Exception {
        Path train = TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 30, 10, 3);
        StringBuilder instructions = new StringBuilder();
        Random random = new Random(4);
        String[] words = {"please", "classify", "this", "traffic", "flow", "malware", "botnet", "detect", "which",
            "application", "encrypted", "web", "attack", "request", "generate", "packet"};
        for (int i = 0; i < 60; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                text.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            instructions.append(TuningFixtures.line(text.toString(), "Malware Traffic Detection"));
        }
        Path nlp = Files.createDirectories(tmp.resolve("nlp")).resolve("instruction_train.jsonl");
        Files.writeString(nlp, instructions, StandardCharsets.UTF_8);
        PretrainingRequestDTO r = new PretrainingRequestDTO();
        r.datasets = List.of(train.toString());
        r.heldOut = List.of(train.toString().replace("_train", "_test"));
        r.instructions = nlp.toString();
        r.naturalVocabSize = 320;
        r.trafficTokens = 64;
        r.hiddenSize = 32;
        r.layers = 1;
        r.heads = 2;
        r.kvHeads = 1;
        r.intermediateSize = 64;
        r.maxContext = 64;
        r.sequenceLength = 32;
        r.batchSize = 4;
        r.maxSteps = 8;
        r.checkpointEvery = 3;
        r.validationShare = 0.1;
        r.schedule.learningRate = 0.01;
        r.output = out.toString();
        return r;
    }

    @Test
    void trainsTheTokenizerAndAModelThatLoadsAsABaseModel() throws Exception {
        PretrainingResultDTO r = service.pretrain(request(tmp.resolve("nano")), null);

        Path out = tmp.resolve("nano");
        JsonNode config = DatasetFile.JSON.readTree(out.resolve("config.json").toFile());
        JsonNode tokenizer = DatasetFile.JSON.readTree(out.resolve("tokenizer.json").toFile());
        assertThat(config.path("vocab_size").asInt()).isEqualTo(r.vocabSize).isEqualTo(320 + 64 + 1);
        assertThat(tokenizer.path("added_tokens").toString()).contains("<|endoftext|>", "<pad>", "<pck>");
        assertThat(config.path("hidden_size").asInt()).isEqualTo(32);
        assertThat(new String(Files.readAllBytes(out.resolve("model.safetensors")), StandardCharsets.ISO_8859_1))
                .contains("\"dtype\":\"F16\"");
        assertThat(out.resolve("MODEL.md")).content().contains("Llama: hidden 32, 1 layers", "flow-bytes",
                "with a traffic-domain tokenizer learned from the same texts");
        assertThat(out.resolve("generation_config.json")).exists();
        assertThat(r.tokenizerRatios).singleElement().satisfies(t -> {
            assertThat(t.corpus).startsWith("flow-bytes");
            assertThat(t.ratio).isGreaterThan(1.5);
        });
        assertThat(r.steps).isEqualTo(8);
        assertThat(r.lossCurve).hasSize(3);
        assertThat(r.finalLoss).isLessThan(r.firstLoss);
        assertThat(r.validationLoss).isFinite();

        BaseModel model = models.load("nano", "1.0.0", out);
        try {
            assertThat(model.info().vocabSize).isEqualTo(r.vocabSize);
            assertThat(model.decode(model.encode("<pck>4500003c"))).isEqualTo("<pck>4500003c");
        } finally {
            StandaloneModels.unload(model);
        }
    }

    @Test
    void aModelOverAGivenTokenizerSaysSoInItsCard() throws Exception {
        PretrainingRequestDTO r = request(tmp.resolve("given"));
        r.tokenizer = TuningFixtures.fixtures().resolve("tokenizer/tokenizer.json").toString();
        r.maxSteps = 2;
        service.pretrain(r, null);
        assertThat(tmp.resolve("given/MODEL.md")).content().contains("with the tokenizer it was given", "(given: ")
                .doesNotContain("traffic-domain tokenizer");
    }

    @Test
    void anInterruptedPretrainingResumesToTheSameWeights() throws Exception {
        service.pretrain(request(tmp.resolve("whole")), null);
        Thread self = Thread.currentThread();
        long[] at = {-1};
        assertThatThrownBy(() -> service.pretrain(request(tmp.resolve("cut")), p -> {
            if (at[0] < 0 && "train".equals(p.phase) && p.step >= 4) {
                at[0] = p.step;
                self.interrupt();
            }
        })).hasMessageContaining("interrupted after step " + at[0]);
        assertThat(at[0]).isBetween(4L, 7L);
        assertThat(Thread.interrupted()).isTrue();
        service.resumePretraining(tmp.resolve("cut.checkpoints"), null);
        assertThat(Files.readAllBytes(tmp.resolve("cut/model.safetensors")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("whole/model.safetensors")));
    }

    @Test
    void aTokenizerWithoutEosIsRefusedBeforeAnythingIsWritten() throws Exception {
        PretrainingRequestDTO r = request(tmp.resolve("m"));
        Path bad = tmp.resolve("bad-tokenizer.json");
        String json = Files.readString(TuningFixtures.fixtures().resolve("tokenizer/tokenizer.json"))
                .replace("<|endoftext|>", "<|notend|>");
        Files.writeString(bad, json);
        r.tokenizer = bad.toString();
        assertThatThrownBy(() -> service.pretrain(r, null)).isInstanceOf(TuningException.class)
                .hasMessage(bad + ": has no <|endoftext|> (or </s>) token to end texts and answers with");
        assertThat(tmp.resolve("m.checkpoints")).doesNotExist();
    }
}

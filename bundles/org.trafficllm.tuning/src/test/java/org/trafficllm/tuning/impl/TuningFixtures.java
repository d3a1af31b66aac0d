package org.trafficllm.tuning.impl;

import org.trafficllm.dataset.impl.TaskPromptFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.dataset.impl.BuiltInTaskCatalog;
import org.trafficllm.dataset.impl.StageOneInstructionBuilder;
import org.trafficllm.eval.impl.ClassificationReportService;
import org.trafficllm.model.impl.StandaloneModels;
import org.trafficllm.tokenizer.impl.BpeTokenizerMeter;
import org.trafficllm.tokenizer.impl.BpeTokenizerTrainer;

/** The reference fixtures and small datasets the tuning tests make themselves. */
final class TuningFixtures {
    static final String BASE = "llama-tiny";
    static final List<String> LABELS = List.of("alpha", "beta", "gamma");

    private TuningFixtures() {
    }

    static Path fixtures() {
        String p = System.getProperty("trafficllm.fixtures");
        if (p == null || !Files.isDirectory(Paths.get(p))) {
            throw new IllegalStateException("system property trafficllm.fixtures does not name the fixtures folder: " + p);
        }
        return Paths.get(p);
    }

    /** llama-tiny's config and weights with the shared tokenizer: a Hugging Face model directory. */
    static Path modelDir(Path into) {
        try {
            Path dir = Files.createDirectories(into.resolve(BASE));
            Files.copy(fixtures().resolve("llama-tiny/config.json"), dir.resolve("config.json"));
            Files.copy(fixtures().resolve("llama-tiny/model.safetensors"), dir.resolve("model.safetensors"));
            Files.copy(fixtures().resolve("tokenizer/tokenizer.json"), dir.resolve("tokenizer.json"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TuningServices services(StandaloneModels models, LocalBaseModels bases) {
        BuiltInTaskCatalog catalog = new BuiltInTaskCatalog();
        return new TuningServices(bases, models.training(), new TaskPromptFormat(catalog), new ClassificationReportService(),
                catalog, new StageOneInstructionBuilder(catalog), new BpeTokenizerTrainer(), new BpeTokenizerMeter());
    }

    static TaskPromptFormat format() {
        return new TaskPromptFormat(new BuiltInTaskCatalog());
    }

    static TaskDescriptorDTO task() {
        TaskDescriptorDTO t = new TaskDescriptorDTO();
        t.id = "TST";
        t.name = "Test Traffic Detection";
        t.kind = TaskKind.DETECTION;
        t.granularity = Granularity.FLOW;
        t.renderer = "flow-bytes";
        t.labels = new ArrayList<>(LABELS);
        t.promptTemplate = "Which kind of traffic is this <{granularity}>? It is alpha, beta or gamma.\n"
                + "<{granularity}>: {traffic}";
        t.outputTemplate = "{label}";
        t.templateSource = "test";
        return t;
    }

    /** A flow text made mostly of its label's signature (the reference model's random weights attend
     * everywhere at once, so a short signature would drown), with a little seeded noise. */
    static String traffic(String label, Random random) {
        String signature = switch (label) {
            case "alpha" -> "4500003c4500003c";
            case "beta" -> "6000000a6000000a";
            default -> "ffee0101ffee0101";
        };
        StringBuilder sb = new StringBuilder("<pck>").append(signature).append(signature);
        for (int i = 0; i < 6; i++) {
            sb.append(String.format("%02x", random.nextInt(256)));
        }
        return sb.append(signature).toString();
    }

    /**
     * Writes {@code stem_train.jsonl}, {@code stem_test.jsonl} and {@code stem_task.json}
     * as the dataset builder does; returns the train file.
     */
    static Path dataset(Path dir, String stem, int trainPerClass, int testPerClass, long seed) {
        try {
            Files.createDirectories(dir);
            TaskDescriptorDTO task = task();
            Random random = new Random(seed);
            StringBuilder train = new StringBuilder();
            StringBuilder test = new StringBuilder();
            for (int i = 0; i < Math.max(trainPerClass, testPerClass); i++) {
                for (String label : LABELS) {
                    if (i < trainPerClass) {
                        train.append(sample(label, random));
                    }
                    if (i < testPerClass) {
                        test.append(sample(label, random));
                    }
                }
            }
            Files.writeString(dir.resolve(stem + "_train.jsonl"), train, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(stem + "_test.jsonl"), test, StandardCharsets.UTF_8);
            ObjectNode json = TaskData.TASK_JSON.valueToTree(task);
            Files.writeString(dir.resolve(stem + "_task.json"), json.toPrettyString(), StandardCharsets.UTF_8);
            return dir.resolve(stem + "_train.jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One dataset line of {@code label}'s traffic, as the dataset builder writes it for task TST. */
    static String sample(String label, Random random) {
        TaskDescriptorDTO task = task();
        String head = format().fill(task, task.promptTemplate.substring(0, task.promptTemplate.indexOf("{traffic}")),
                null);
        return line(head + traffic(label, random), label);
    }

    static String line(String instruction, String output) {
        ObjectNode n = DatasetFile.JSON.createObjectNode();
        n.put("instruction", instruction);
        n.put("output", output);
        return n.toString() + "\n";
    }

    /** A small, fast LoRA run over llama-tiny on the dataset of {@code train}. */
    static TuningRequestDTO request(Path train, Path output) {
        TuningRequestDTO r = new TuningRequestDTO();
        r.stage = 2;
        r.task = "TST";
        r.baseModel = BASE;
        r.train = train.toString();
        r.test = train.toString().replace("_train.jsonl", "_test.jsonl");
        r.output = output.toString();
        r.peft = "lora";
        r.loraRank = 4;
        r.loraAlpha = 8;
        r.loraTargets = new ArrayList<>(List.of("q_proj", "v_proj", "o_proj", "up_proj", "down_proj"));
        r.trafficTokens = 48;
        r.batchSize = 6;
        r.accumulation = 2;
        r.epochs = 10;
        r.maxSteps = 24;
        r.checkpointEvery = 6;
        r.patience = 0;
        r.validationShare = 0.2;
        r.validationLimit = 12;
        r.schedule.learningRate = 0.01;
        r.schedule.warmupSteps = 2;
        r.seed = 7;
        return r;
    }
}

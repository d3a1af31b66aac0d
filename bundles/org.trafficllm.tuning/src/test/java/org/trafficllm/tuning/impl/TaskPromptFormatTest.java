package org.trafficllm.tuning.impl;

import org.trafficllm.dataset.impl.TaskPromptFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tuning.PromptFormat;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.PromptDTO;
import org.trafficllm.api.tuning.dto.PromptTokensDTO;
import org.trafficllm.dataset.impl.BuiltInTaskCatalog;
import org.trafficllm.model.impl.StandaloneModels;

class TaskPromptFormatTest {
    @TempDir
    static Path tmp;
    static StandaloneModels models;
    static BaseModel model;
    final TaskPromptFormat format = TuningFixtures.format();

    @BeforeAll
    static void load() throws Exception {
        models = new StandaloneModels();
        model = models.load(TuningFixtures.BASE, "1.0.0", TuningFixtures.modelDir(tmp));
    }

    @AfterAll
    static void close() {
        StandaloneModels.unload(model);
        models.close();
    }

    private static int[] enc(String s) throws ModelException {
        return s.isEmpty() ? new int[0] : model.encode(s);
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void builderSampleSplitsIntoHeadTrafficTailAndAnswer() throws Exception {
        TaskDescriptorDTO mtd = new BuiltInTaskCatalog().task("MTD", Granularity.FLOW).orElseThrow();
        String head = TuningFixtures.format().fill(mtd, mtd.promptTemplate.substring(0, mtd.promptTemplate.indexOf("{traffic}")),
                null);
        String traffic = "<pck>4500003c1c4640004006b1e6c0a80001c0a800c7";
        PromptDTO p = format.parse(mtd, head + traffic, "Neris");
        assertThat(head).endsWith("\n<flow>: ");
        assertThat(p.head).isEqualTo(head);
        assertThat(p.variable).isEqualTo(traffic);
        assertThat(p.tail).isEqualTo(PromptFormat.ANSWER_SEPARATOR);
        assertThat(p.answer).isEqualTo("Neris");
        assertThat(p.answerSuffix).isEmpty();
    }

    @Test
    void trainingSequenceIsTheInferencePromptFollowedByTheLabelAndEos() throws Exception {
        TaskDescriptorDTO task = TuningFixtures.task();
        String traffic = TuningFixtures.traffic("beta", new Random(1));
        PromptDTO parsed = format.parse(task, "Which kind of traffic is this <flow>? It is alpha, beta or gamma.\n<flow>: "
                + traffic, "beta");
        PromptTokensDTO training = format.tokens(model, parsed, 0, 0);
        PromptTokensDTO inference = format.tokens(model, format.prompt(task, traffic), 0, 0);

        int[] prompt = concat(enc(parsed.head), enc(traffic), enc("\n"));
        assertThat(inference.tokenIds).containsExactly(prompt);
        assertThat(training.tokenIds).containsExactly(concat(prompt, enc("beta"), new int[] {model.info().eosTokenId}));
        assertThat(training.promptTokens).isEqualTo(prompt.length);
        assertThat(inference.promptTokens).isEqualTo(prompt.length);
        assertThat(training.variableTokensCut).isZero();
    }

    @Test
    void trafficIsCutFromItsEndToTheBudgetAndNothingElseIs() throws Exception {
        TaskDescriptorDTO task = TuningFixtures.task();
        String traffic = TuningFixtures.traffic("alpha", new Random(2));
        PromptDTO p = format.parse(task, TuningFixtures.format().fill(task, "Which kind of traffic is this <{granularity}>? It "
                + "is alpha, beta or gamma.\n<{granularity}>: ", null) + traffic, "alpha");
        int[] full = enc(traffic);
        PromptTokensDTO t = format.tokens(model, p, 10, 0);

        assertThat(full.length).isGreaterThan(10);
        assertThat(t.variableTokens).isEqualTo(10);
        assertThat(t.variableTokensCut).isEqualTo(full.length - 10);
        assertThat(t.tokenIds).containsExactly(concat(enc(p.head), Arrays.copyOf(full, 10), enc(p.tail), enc("alpha"),
                new int[] {model.info().eosTokenId}));
    }

    @Test
    void contextLimitCutsTrafficFurtherAndRefusesWhenTheFixedPartsDoNotFit() throws Exception {
        TaskDescriptorDTO task = TuningFixtures.task();
        PromptDTO p = format.prompt(task, "ab".repeat(400));
        int fixed = enc(p.head).length + enc(p.tail).length;
        int context = model.info().maxContext;
        PromptTokensDTO t = format.tokens(model, p, 0, 100);

        assertThat(t.tokenIds.length).isEqualTo(context - 100);
        assertThat(t.variableTokens).isEqualTo(context - 100 - fixed);
        assertThatThrownBy(() -> format.tokens(model, p, 0, context - fixed + 1)).isInstanceOf(ModelException.class)
                .hasMessageContaining("prompt without its traffic takes " + fixed + " tokens");
    }

    @Test
    void classificationPromptReservesTheLongestLabelAndEos() throws Exception {
        TaskDescriptorDTO task = TuningFixtures.task();
        PromptDTO p = format.prompt(task, "ab".repeat(400));
        List<String> labels = List.of("a", "a much longer label than the others");
        int longest = enc(labels.get(1)).length;
        PromptTokensDTO t = format.classificationTokens(model, p, 0, 0, labels);
        assertThat(t.tokenIds.length).isEqualTo(model.info().maxContext - longest - 1);
        // serving measures the answer's room once per task version and reserves it itself
        assertThat(format.answerTokens(model, labels)).isEqualTo(longest + 1);
        assertThat(format.tokens(model, p, 0, format.answerTokens(model, labels)).tokenIds).isEqualTo(t.tokenIds);
    }

    @Test
    void sentenceAnswersKeepTheirSuffixAndRouterPromptsAreTheInstruction() throws Exception {
        BuiltInTaskCatalog catalog = new BuiltInTaskCatalog();
        TaskDescriptorDTO mdd = catalog.task("MDD").orElseThrow();
        mdd.outputTemplate = "The traffic category is likely to be recognized as {label}.";
        String instruction = TuningFixtures.format().fill(mdd, mdd.promptTemplate.substring(0,
                mdd.promptTemplate.indexOf("{traffic}")), null) + "frame.len: 60";
        PromptDTO p = format.parse(mdd, instruction, "The traffic category is likely to be recognized as Malicious.");
        assertThat(p.answer).isEqualTo("Malicious");
        assertThat(p.answerSuffix).isEqualTo(".");
        assertThat(p.tail).isEqualTo("\nThe traffic category is likely to be recognized as ");
        assertThat(format.tokens(model, p, 0, 0).tokenIds).endsWith(concat(enc("Malicious"), enc("."),
                new int[] {model.info().eosTokenId}));

        TaskDescriptorDTO router = catalog.task("NLP").orElseThrow();
        PromptDTO r = format.parse(router, "Is this capture malware?", "Malware Traffic Detection");
        assertThat(r.head).isEmpty();
        assertThat(r.variable).isEqualTo("Is this capture malware?");
        assertThat(r.answer).isEqualTo("Malware Traffic Detection");
    }

    @Test
    void samplesThatDoNotFollowTheTaskAreRefusedWithTheReason() {
        TaskDescriptorDTO task = TuningFixtures.task();
        assertThatThrownBy(() -> format.parse(task, "no marker here", "alpha")).isInstanceOf(TuningException.class)
                .hasMessage("instruction has no traffic marker '<flow>: ' of task TST");
        TaskDescriptorDTO sentence = TuningFixtures.task();
        sentence.outputTemplate = "It is {label}.";
        assertThatThrownBy(() -> format.parse(sentence, "<flow>: ab", "alpha")).isInstanceOf(TuningException.class)
                .hasMessage("output 'alpha' does not follow the output template 'It is {label}.' of task TST");
    }
}

package org.trafficllm.eval.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.trafficllm.api.eval.dto.ClassMetricsDTO;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;

/** Metric values against cases computed by hand (the arithmetic is in each test's comments). */
class ClassificationReportServiceTest {
    private static final Offset<Double> EXACT = within(1e-12);
    private final ClassificationReportService service = new ClassificationReportService();

    /**
     * cat, dog, emu, fox; emu is present but never predicted, fox is predicted but
     * never present, two answers are invalid. Confusion (rows expected; columns cat,
     * dog, emu, fox, invalid): cat 2 1 0 0 1, dog 0 2 0 1 0, emu 1 1 0 0 1, fox 0 0 0 0 0.
     */
    static EvaluationReportDTO zoo(ClassificationReportService service) {
        List<String> labels = List.of("cat", "dog", "emu", "fox");
        List<String> expected = List.of("cat", "cat", "cat", "cat", "dog", "dog", "emu", "emu", "emu", "dog");
        List<String> predicted = Arrays.asList("cat", "cat", "dog", "meow", "dog", "fox", "cat", null, "dog", "dog");
        EvaluationRunDTO run = new EvaluationRunDTO();
        run.dataset = "zoo";
        return service.evaluate(labels, expected, predicted, run);
    }

    @Test
    void countsAccuracyAndInvalidAnswers() {
        EvaluationReportDTO report = zoo(service);

        assertThat(report.samples).isEqualTo(10);
        assertThat(report.correct).isEqualTo(4);
        assertThat(report.invalid).isEqualTo(2);
        assertThat(report.accuracy).isCloseTo(0.4, EXACT);
        assertThat(report.invalidExamples).containsExactly("meow", "null");
        assertThat(report.run.dataset).isEqualTo("zoo");
        assertThat(report.confusion.rows).containsExactly("cat", "dog", "emu", "fox");
        assertThat(report.confusion.columns).containsExactly("cat", "dog", "emu", "fox", "invalid");
        assertThat(report.confusion.counts).containsExactly(List.of(2L, 1L, 0L, 0L, 1L), List.of(0L, 2L, 0L, 1L, 0L),
                List.of(1L, 1L, 0L, 0L, 1L), List.of(0L, 0L, 0L, 0L, 0L));
    }

    @Test
    void perClassMetricsWithNeverPredictedAndNeverPresentClasses() {
        EvaluationReportDTO report = zoo(service);

        ClassMetricsDTO cat = report.perClass.get(0);
        // TP 2, predicted 3, support 4: P 2/3, R 1/2, F1 2·2/(2·2 + 1 + 2) = 4/7
        assertThat(cat.label).isEqualTo("cat");
        assertThat(cat.precision).isCloseTo(2.0 / 3, EXACT);
        assertThat(cat.recall).isCloseTo(0.5, EXACT);
        assertThat(cat.f1).isCloseTo(4.0 / 7, EXACT);
        ClassMetricsDTO dog = report.perClass.get(1);
        // TP 2, predicted 4, support 3: P 1/2, R 2/3, F1 4/(4 + 2 + 1)
        assertThat(dog.precision).isCloseTo(0.5, EXACT);
        assertThat(dog.recall).isCloseTo(2.0 / 3, EXACT);
        assertThat(dog.f1).isCloseTo(4.0 / 7, EXACT);
        ClassMetricsDTO emu = report.perClass.get(2);
        // never predicted: precision 0/0 is undefined and reported as 0; recall 0/3; F1 0/3
        assertThat(emu.predicted).isZero();
        assertThat(emu.precision).isZero();
        assertThat(emu.precisionUndefined).isTrue();
        assertThat(emu.recall).isZero();
        assertThat(emu.recallUndefined).isFalse();
        assertThat(emu.f1Undefined).isFalse();
        ClassMetricsDTO fox = report.perClass.get(3);
        // never present: recall 0/0 undefined; precision 0/1; F1 0/1
        assertThat(fox.support).isZero();
        assertThat(fox.predicted).isEqualTo(1);
        assertThat(fox.recallUndefined).isTrue();
        assertThat(fox.precisionUndefined).isFalse();
        assertThat(fox.f1).isZero();
        assertThat(report.undefinedMetrics).isEqualTo(2);
    }

    @Test
    void macroAveragesRunOverTheLabelSetAndWeightedOnesBySupport() {
        EvaluationReportDTO report = zoo(service);

        // macro: (2/3 + 1/2 + 0 + 0)/4, (1/2 + 2/3 + 0 + 0)/4, (4/7 + 4/7)/4; the invalid column is no class
        assertThat(report.macro.precision).isCloseTo(7.0 / 24, EXACT);
        assertThat(report.macro.recall).isCloseTo(7.0 / 24, EXACT);
        assertThat(report.macro.f1).isCloseTo(2.0 / 7, EXACT);
        // weighted by support 4, 3, 3, 0: P (4·2/3 + 3·1/2)/10 = 5/12, R = accuracy, F1 (4·4/7 + 3·4/7)/10
        assertThat(report.weighted.precision).isCloseTo(5.0 / 12, EXACT);
        assertThat(report.weighted.recall).isCloseTo(report.accuracy, EXACT);
        assertThat(report.weighted.f1).isCloseTo(0.4, EXACT);
    }

    @Test
    void aClassNeitherPresentNorPredictedCountsAsZeroInTheMacroAverage() {
        EvaluationReportDTO report = service.evaluate(List.of("x", "y", "z"), List.of("x", "y", "y"),
                List.of("x", "y", "y"), null);

        ClassMetricsDTO z = report.perClass.get(2);
        assertThat(z.precisionUndefined).isTrue();
        assertThat(z.recallUndefined).isTrue();
        assertThat(z.f1Undefined).isTrue();
        assertThat(z.f1).isZero();
        assertThat(report.undefinedMetrics).isEqualTo(3);
        assertThat(report.accuracy).isEqualTo(1.0);
        assertThat(report.macro.f1).isCloseTo(2.0 / 3, EXACT);
        assertThat(report.weighted.f1).isCloseTo(1.0, EXACT);
    }

    @Test
    void onlyInvalidAnswersGiveZeroEverywhereButStillCountTheSamples() {
        EvaluationReportDTO report = service.evaluate(List.of("benign", "malware"), List.of("benign", "malware"),
                List.of("exception", "exception"), null);

        assertThat(report.accuracy).isZero();
        assertThat(report.invalid).isEqualTo(2);
        assertThat(report.invalidExamples).containsExactly("exception");
        assertThat(report.confusion.counts).containsExactly(List.of(0L, 0L, 1L), List.of(0L, 0L, 1L));
        assertThat(report.perClass).allSatisfy(m -> {
            assertThat(m.recall).isZero();
            assertThat(m.precisionUndefined).isTrue();
        });
    }

    @Test
    void badInputIsRefusedNamingThePlace() {
        assertThatThrownBy(() -> service.evaluate(List.of("a", "b"), List.of("a", "c"), List.of("a", "a"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expected[1]: 'c' is not in the label set [a, b]");
        assertThatThrownBy(() -> service.evaluate(List.of("a"), List.of("a"), List.of(), null))
                .hasMessageContaining("expected has 1 labels, predicted 0");
        assertThatThrownBy(() -> service.evaluate(List.of("a", "b", "a"), List.of("a"), List.of("a"), null))
                .hasMessage("labels[2]: 'a' appears twice in the label set");
        assertThatThrownBy(() -> service.evaluate(List.of("a"), List.of(), List.of(), null))
                .hasMessage("no samples to evaluate");
        assertThatThrownBy(() -> service.evaluate(List.of(), List.of("a"), List.of("a"), null))
                .hasMessage("the label set is empty");
    }

    @Test
    void answersAreReadAsTrafficLlmReadsThem() {
        List<String> labels = List.of("Neris", "Virut", "Apple iCloud", "normal");

        assertThat(service.labelOf("Neris", labels)).isEqualTo("Neris");
        assertThat(service.labelOf("  Virut\n", labels)).isEqualTo("Virut");
        assertThat(service.labelOf("The traffic category is likely to be recognized as Neris.", labels))
                .isEqualTo("Neris");
        assertThat(service.labelOf("流量类别是 Virut。", labels)).isEqualTo("Virut");
        assertThat(service.labelOf("recognized as Neris", labels)).as("no full stop to drop").isEqualTo("Neris");
        assertThat(service.labelOf("Apple iCloud", labels)).as("a label with a space").isEqualTo("Apple iCloud");
        assertThat(service.labelOf("Neri", labels)).isNull();
        assertThat(service.labelOf("neris", labels)).as("labels are case-sensitive").isNull();
        assertThat(service.labelOf("exception", labels)).isNull();
        assertThat(service.labelOf("", labels)).isNull();
        assertThat(service.labelOf(null, labels)).isNull();
    }
}

package org.trafficllm.eval.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.trafficllm.api.eval.dto.AverageMetricsDTO;
import org.trafficllm.api.eval.dto.ClassMetricsDTO;
import org.trafficllm.api.eval.dto.ConfusionMatrixDTO;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;

/**
 * The metric arithmetic. Everything is derived from one confusion matrix of
 * {@code n} rows (expected labels) and {@code n + 1} columns (predicted labels, then
 * invalid answers), so the figures can never disagree with the matrix shown.
 */
final class ClassificationMetrics {
    static final int INVALID_EXAMPLES = 20;

    private ClassificationMetrics() {
    }

    static EvaluationReportDTO compute(List<String> labels, List<String> expected, List<String> predicted) {
        Map<String, Integer> index = indexOf(labels);
        if (expected.size() != predicted.size()) {
            throw new IllegalArgumentException("expected has " + expected.size() + " labels, predicted "
                    + predicted.size() + ": one answer per sample is needed");
        }
        if (expected.isEmpty()) {
            throw new IllegalArgumentException("no samples to evaluate");
        }
        int n = labels.size();
        long[][] matrix = new long[n][n + 1];
        Set<String> invalidExamples = new LinkedHashSet<>();
        for (int i = 0; i < expected.size(); i++) {
            Integer row = expected.get(i) == null ? null : index.get(expected.get(i));
            if (row == null) {
                throw new IllegalArgumentException("expected[" + i + "]: '" + expected.get(i)
                        + "' is not in the label set " + labels);
            }
            String answer = predicted.get(i);
            Integer column = answer == null ? null : index.get(answer);
            if (column == null) {
                column = n;
                if (invalidExamples.size() < INVALID_EXAMPLES) {
                    invalidExamples.add(String.valueOf(answer));
                }
            }
            matrix[row][column]++;
        }
        EvaluationReportDTO report = fromMatrix(labels, matrix);
        report.invalidExamples = new ArrayList<>(invalidExamples);
        return report;
    }

    static EvaluationReportDTO fromMatrix(List<String> labels, long[][] matrix) {
        int n = labels.size();
        EvaluationReportDTO report = new EvaluationReportDTO();
        report.labels = new ArrayList<>(labels);
        long[] predictedAs = new long[n];
        for (int row = 0; row < n; row++) {
            for (int column = 0; column < n; column++) {
                predictedAs[column] += matrix[row][column];
            }
        }
        for (int c = 0; c < n; c++) {
            long support = 0;
            for (int column = 0; column <= n; column++) {
                support += matrix[c][column];
            }
            ClassMetricsDTO m = new ClassMetricsDTO();
            m.label = labels.get(c);
            m.support = support;
            m.predicted = predictedAs[c];
            m.truePositives = matrix[c][c];
            m.precisionUndefined = m.predicted == 0;
            m.recallUndefined = support == 0;
            long falsePositives = m.predicted - m.truePositives;
            long falseNegatives = support - m.truePositives;
            long f1Denominator = 2 * m.truePositives + falsePositives + falseNegatives;
            m.f1Undefined = f1Denominator == 0;
            m.precision = ratio(m.truePositives, m.predicted);
            m.recall = ratio(m.truePositives, support);
            m.f1 = ratio(2 * m.truePositives, f1Denominator);
            report.undefinedMetrics += (m.precisionUndefined ? 1 : 0) + (m.recallUndefined ? 1 : 0)
                    + (m.f1Undefined ? 1 : 0);
            report.samples += support;
            report.correct += m.truePositives;
            report.invalid += matrix[c][n];
            report.perClass.add(m);
        }
        report.accuracy = ratio(report.correct, report.samples);
        report.macro = average(report.perClass, false, report.samples);
        report.weighted = average(report.perClass, true, report.samples);
        report.confusion = confusion(labels, matrix);
        return report;
    }

    private static AverageMetricsDTO average(List<ClassMetricsDTO> classes, boolean bySupport, long samples) {
        AverageMetricsDTO average = new AverageMetricsDTO();
        double weightSum = 0;
        for (ClassMetricsDTO m : classes) {
            double weight = bySupport ? m.support : 1;
            average.precision += weight * m.precision;
            average.recall += weight * m.recall;
            average.f1 += weight * m.f1;
            weightSum += weight;
        }
        if (weightSum > 0) {
            average.precision /= weightSum;
            average.recall /= weightSum;
            average.f1 /= weightSum;
        }
        return average;
    }

    private static ConfusionMatrixDTO confusion(List<String> labels, long[][] matrix) {
        ConfusionMatrixDTO confusion = new ConfusionMatrixDTO();
        confusion.rows.addAll(labels);
        confusion.columns.addAll(labels);
        confusion.columns.add(ConfusionMatrixDTO.INVALID);
        for (long[] row : matrix) {
            List<Long> counts = new ArrayList<>(row.length);
            for (long count : row) {
                counts.add(count);
            }
            confusion.counts.add(counts);
        }
        return confusion;
    }

    static Map<String, Integer> indexOf(List<String> labels) {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("the label set is empty");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label == null) {
                throw new IllegalArgumentException("labels[" + i + "] is null");
            }
            if (index.putIfAbsent(label, i) != null) {
                throw new IllegalArgumentException("labels[" + i + "]: '" + label + "' appears twice in the label set");
            }
        }
        return index;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0.0 : (double) numerator / denominator;
    }
}

package org.trafficllm.baseline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.trafficllm.api.eval.EvaluationService;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;

/**
 * How far a classifier can get on a test set whose opaque samples
 * ({@link OpaqueSamples}) share signatures across classes. Within one signature a
 * classifier that cannot read random bytes gives every sample the same answer, at
 * best. Two figures bound it:
 * <ul>
 * <li><b>majority</b>: every readable test sample right, each opaque signature
 * answered with its most frequent training label (what a learner can know);</li>
 * <li><b>oracle</b>: every readable sample right, each opaque signature answered with
 * the one label that maximises the test macro-F1, chosen by looking at the test
 * labels themselves (no classifier has them; an upper bound for any rule that gives
 * one answer per signature).</li>
 * </ul>
 * A test signature never seen in training counts as right in both: the bound stays
 * an upper bound.
 */
final class Ceiling {
    private final EvaluationService evaluation;
    private final List<String> labels;
    private final List<String> expected = new ArrayList<>();
    /** Per test sample: its opaque signature, or null when readable. */
    private final List<String> signatures = new ArrayList<>();
    private final Map<String, Map<String, Integer>> trainBySignature = new HashMap<>();
    private final Map<String, Map<String, Integer>> testBySignature = new LinkedHashMap<>();
    /** Each training signature's most frequent label. */
    private final Map<String, String> majority = new HashMap<>();

    Ceiling(EvaluationService evaluation, List<String> labels, List<TrafficSample> train, List<TrafficSample> test,
            OpaqueSamples opaque) {
        this.evaluation = evaluation;
        this.labels = labels;
        for (TrafficSample sample : train) {
            String signature = opaque.signature(sample.traffic());
            if (signature != null) {
                trainBySignature.computeIfAbsent(signature, s -> new TreeMap<>()).merge(sample.label(), 1,
                        Integer::sum);
            }
        }
        for (TrafficSample sample : test) {
            String signature = opaque.signature(sample.traffic());
            expected.add(sample.label());
            signatures.add(signature);
            if (signature != null) {
                testBySignature.computeIfAbsent(signature, s -> new TreeMap<>()).merge(sample.label(), 1,
                        Integer::sum);
            }
        }
        trainBySignature.forEach((signature, counts) -> majority.put(signature, mostFrequent(counts, labels)));
    }

    int testSamples() {
        return expected.size();
    }

    int opaqueTestSamples() {
        return (int) signatures.stream().filter(s -> s != null).count();
    }

    int opaqueTrainSamples() {
        return trainBySignature.values().stream().mapToInt(Ceiling::total).sum();
    }

    /** Test signatures (with their test and train counts by class), most test samples first. */
    List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        testBySignature.forEach((signature, test) -> groups.add(new Group(signature, test,
                trainBySignature.getOrDefault(signature, Map.of()), majority.get(signature))));
        groups.sort(Comparator.comparingInt((Group g) -> -total(g.test)).thenComparing(Group::signature));
        return groups;
    }

    String signatureOf(int sample) {
        return signatures.get(sample);
    }

    String expected(int sample) {
        return expected.get(sample);
    }

    /** Every readable sample right, opaque ones by their signature's training majority. */
    List<String> majorityAnswers() {
        return withMajorityOnOpaque(expected);
    }

    /**
     * Every readable sample right, each opaque signature's one answer chosen on the
     * test labels for the highest macro-F1 (coordinate ascent over the signatures,
     * from the training majorities, until no single change helps).
     */
    List<String> oracleAnswers() {
        Map<String, String> choice = new HashMap<>(majority);
        choice.keySet().retainAll(testBySignature.keySet());
        double best = macroF1(answered(expected, choice));
        boolean improved = true;
        while (improved) {
            improved = false;
            for (String signature : choice.keySet()) {
                String kept = choice.get(signature);
                for (String label : labels) {
                    if (label.equals(kept)) {
                        continue;
                    }
                    choice.put(signature, label);
                    double f1 = macroF1(answered(expected, choice));
                    if (f1 > best + 1e-12) {
                        best = f1;
                        kept = label;
                        improved = true;
                    }
                }
                choice.put(signature, kept);
            }
        }
        return answered(expected, choice);
    }

    /** Given answers with each opaque sample's answer replaced by its signature's training majority. */
    List<String> withMajorityOnOpaque(List<String> predicted) {
        return answered(predicted, majority);
    }

    /** Given answers with every readable sample (and every opaque one of an unseen signature) made right. */
    List<String> withReadableRight(List<String> predicted) {
        List<String> answers = new ArrayList<>(predicted);
        for (int i = 0; i < answers.size(); i++) {
            if (signatures.get(i) == null || !majority.containsKey(signatures.get(i))) {
                answers.set(i, expected.get(i));
            }
        }
        return answers;
    }

    /** The evaluation of a set of answers on the test labels. */
    EvaluationReportDTO score(List<String> predicted) {
        return evaluation.evaluate(labels, expected, predicted, null);
    }

    double macroF1(List<String> predicted) {
        return score(predicted).macro.f1;
    }

    /** Share of the samples of one kind (opaque or readable) that the answers get right; NaN when there are none. */
    double accuracyOn(List<String> predicted, boolean opaque) {
        int n = 0;
        int right = 0;
        for (int i = 0; i < expected.size(); i++) {
            if ((signatures.get(i) != null) == opaque) {
                n++;
                right += expected.get(i).equals(predicted.get(i)) ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) right / n;
    }

    /** {@code base} with each opaque sample whose signature {@code bySignature} names answered by it. */
    private List<String> answered(List<String> base, Map<String, String> bySignature) {
        List<String> answers = new ArrayList<>(base);
        for (int i = 0; i < answers.size(); i++) {
            String signature = signatures.get(i);
            String chosen = signature == null ? null : bySignature.get(signature);
            if (chosen != null) {
                answers.set(i, chosen);
            }
        }
        return answers;
    }

    /** The most frequent label of each count (ties: the first in label order). */
    private static String mostFrequent(Map<String, Integer> counts, List<String> labels) {
        String best = null;
        int most = 0;
        for (String label : labels) {
            int c = counts.getOrDefault(label, 0);
            if (c > most) {
                most = c;
                best = label;
            }
        }
        return best;
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** One opaque signature of the test set. */
    record Group(String signature, Map<String, Integer> test, Map<String, Integer> train, String majority) {
        int testSamples() {
            return total(test);
        }

        /** More than one class among its test and training samples together. */
        boolean mixed() {
            Set<String> classes = new HashSet<>(test.keySet());
            classes.addAll(train.keySet());
            return classes.size() > 1;
        }
    }
}

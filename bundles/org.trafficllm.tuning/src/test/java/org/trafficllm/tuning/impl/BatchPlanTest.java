package org.trafficllm.tuning.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BatchPlanTest {
    /** 100 samples of class 0, 10 of class 1, 3 of class 2, lengths 1 to 40. */
    private static final int[] CLASS_OF = classes(100, 10, 3);
    private static final int[] LENGTHS = new Random(5).ints(CLASS_OF.length, 1, 41).toArray();

    @Test
    void anUnbalancedEpochSeesEverySampleOnceAndBalanceZeroChangesNothing() {
        BatchPlan plain = new BatchPlan(LENGTHS, 16, 42);
        BatchPlan withClasses = new BatchPlan(LENGTHS, CLASS_OF, 0, 16, 42);
        assertThat(plain.batchesPerEpoch()).isEqualTo(8);
        for (long epoch = 0; epoch < 3; epoch++) {
            assertThat(count(plain.epoch(epoch))).containsOnly(1);
            assertThat(flat(withClasses.epoch(epoch))).as("the order the shipped adapters were trained in")
                    .containsExactly(flat(plain.epoch(epoch)));
        }
        assertThat(flat(plain.epoch(0))).isNotEqualTo(flat(plain.epoch(1)));
    }

    @Test
    void fullBalanceShowsEveryClassAsOftenAsTheLargest() {
        BatchPlan plan = new BatchPlan(LENGTHS, CLASS_OF, 1, 16, 42);
        assertThat(plan.batchesPerEpoch()).isEqualTo((300 + 15) / 16);
        for (long epoch = 0; epoch < 3; epoch++) {
            int[] seen = count(plan.epoch(epoch));
            assertThat(perClass(seen)).containsExactly(100, 100, 100);
            // the class of 10: ten whole copies; the class of 3: 33 copies and one more drawn
            assertThat(Arrays.copyOfRange(seen, 100, 110)).containsOnly(10);
            assertThat(Arrays.copyOfRange(seen, 110, 113)).containsExactlyInAnyOrder(33, 33, 34);
            assertThat(Arrays.copyOfRange(seen, 0, 100)).containsOnly(1);
        }
        assertThat(flat(plan.epoch(1))).as("a pure function of seed and epoch").containsExactly(
                flat(new BatchPlan(LENGTHS, CLASS_OF, 1, 16, 42).epoch(1)));
    }

    @Test
    void partialBalanceRaisesSmallClassesToItsShareOfTheLargest() {
        BatchPlan plan = new BatchPlan(LENGTHS, CLASS_OF, 0.5, 16, 7);
        int[] seen = count(plan.epoch(0));
        assertThat(perClass(seen)).containsExactly(100, 50, 50);
        assertThat(Arrays.copyOfRange(seen, 100, 110)).containsOnly(5);
        assertThat(plan.batchesPerEpoch()).isEqualTo((200 + 15) / 16);
        assertThatThrownBy(() -> new BatchPlan(LENGTHS, CLASS_OF, 1.5, 16, 7))
                .hasMessage("class balance must be in [0, 1], is 1.5");
    }

    @Test
    void theJobNumbersClassesByAnswerInOrderOfAppearance() {
        List<TokenizedSamples.Sample> samples = new ArrayList<>();
        for (String label : new String[] {"vpn", "non-vpn", "non-vpn", "vpn", "tor"}) {
            samples.add(new TokenizedSamples.Sample(samples.size() + 1, null, label, new int[] {1, 2}, 1, 0));
        }
        assertThat(AdapterTuningJob.classes(samples)).containsExactly(0, 1, 1, 0, 2);
    }

    private static int[] classes(int... sizes) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                out.add(c);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] flat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    private static int[] count(List<int[]> batches) {
        int[] seen = new int[CLASS_OF.length];
        for (int i : flat(batches)) {
            seen[i]++;
        }
        return seen;
    }

    private static int[] perClass(int[] seen) {
        int[] total = new int[3];
        for (int i = 0; i < seen.length; i++) {
            total[CLASS_OF[i]] += seen[i];
        }
        return total;
    }
}

package org.trafficllm.dataset.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.trafficllm.api.dataset.SplitMode;

/**
 * Divides samples between train and test. Samples are joined into groups when the
 * layout gave them the same group (a flow) or when their texts are identical; in
 * {@link SplitMode#GROUP} whole groups go to one side, class by class, in a seeded
 * order, each group to the side that brings the class's test share closer to its
 * target. In {@link SplitMode#SAMPLE} each class's samples are shuffled and cut, as
 * TrafficLLM did.
 */
final class GroupSplit {
    /** Where each sample went and how the groups fell. */
    static final class Outcome {
        final boolean[] test;
        final int[] group;
        int groups;
        int trainGroups;
        int testGroups;
        int groupsOnBothSides;
        long conflictingTexts;

        Outcome(int samples) {
            test = new boolean[samples];
            group = new int[samples];
        }
    }

    private GroupSplit() {
    }

    /**
     * @param classOf the class index of each sample
     * @param groupKey the layout's group of each sample, or null
     * @param text the text of each sample
     */
    static Outcome split(int[] classOf, List<String> groupKey, List<String> text, int classCount, SplitMode mode,
            double trainRatio, long seed) {
        int n = classOf.length;
        Outcome outcome = new Outcome(n);
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        Map<String, Integer> firstOfGroup = new HashMap<>();
        Map<String, Integer> firstOfText = new HashMap<>();
        Set<Integer> conflicting = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String key = groupKey.get(i);
            if (key != null) {
                Integer head = firstOfGroup.putIfAbsent(key, i);
                if (head != null) {
                    union(parent, head, i);
                }
            }
            Integer twin = firstOfText.putIfAbsent(text.get(i), i);
            if (twin != null) {
                union(parent, twin, i);
                if (classOf[twin] != classOf[i]) {
                    conflicting.add(twin);
                }
            }
        }
        outcome.conflictingTexts = conflicting.size();
        int[] dense = new int[n];
        Arrays.fill(dense, -1);
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            if (dense[root] < 0) {
                dense[root] = members.size();
                members.add(new ArrayList<>());
            }
            outcome.group[i] = dense[root];
            members.get(dense[root]).add(i);
        }
        outcome.groups = members.size();
        if (mode == SplitMode.GROUP) {
            splitGroups(outcome, members, classOf, classCount, trainRatio, seed);
        } else {
            splitSamples(outcome, classOf, classCount, trainRatio, seed);
        }
        for (List<Integer> group : members) {
            int inTest = 0;
            for (int i : group) {
                inTest += outcome.test[i] ? 1 : 0;
            }
            if (inTest == 0) {
                outcome.trainGroups++;
            } else if (inTest == group.size()) {
                outcome.testGroups++;
            } else {
                outcome.groupsOnBothSides++;
            }
        }
        return outcome;
    }

    private static void splitGroups(Outcome outcome, List<List<Integer>> members, int[] classOf, int classCount,
            double trainRatio, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int g = 0; g < members.size(); g++) {
            byClass.get(classOf[members.get(g).get(0)]).add(g);
        }
        for (int c = 0; c < classCount; c++) {
            int[] groups = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            shuffle(groups, new Random(seed + 1_000_003L * (c + 1)));
            long total = 0;
            for (int g : groups) {
                total += members.get(g).size();
            }
            double target = (1 - trainRatio) * total;
            long inTest = 0;
            for (int g : groups) {
                int size = members.get(g).size();
                if (Math.abs(inTest + size - target) < Math.abs(inTest - target)) {
                    inTest += size;
                    for (int i : members.get(g)) {
                        outcome.test[i] = true;
                    }
                }
            }
        }
    }

    private static void splitSamples(Outcome outcome, int[] classOf, int classCount, double trainRatio, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < classOf.length; i++) {
            byClass.get(classOf[i]).add(i);
        }
        for (int c = 0; c < classCount; c++) {
            int[] samples = byClass.get(c).stream().mapToInt(Integer::intValue).toArray();
            shuffle(samples, new Random(seed + 1_000_003L * (c + 1)));
            long testCount = Math.round((1 - trainRatio) * samples.length);
            for (int k = 0; k < testCount; k++) {
                outcome.test[samples[k]] = true;
            }
        }
    }

    /** Fisher-Yates with {@link Random#nextInt(int)}, whose sequence the Java specification fixes. */
    static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}

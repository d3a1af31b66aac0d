package org.trafficllm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What a benchmark reports of one pipeline: the median wall time and the median thread CPU
 * time of its timed runs, how far their middle CPU times spread, and the totals of the
 * last one (every run counts the same).
 *
 * @param median median wall time
 * @param medianCpu median CPU time of the thread
 * @param cpuSpread the CPU time of the second slowest run less that of the second fastest
 *        (the fastest and the slowest say more about the machine's other work)
 * @param totals what the last run counted
 */
record Measured<T>(long median, long medianCpu, long cpuSpread, T totals) {
    static final int RUNS = 5;

    /**
     * {@code warmup} untimed passes of each pipeline, then {@link #RUNS} timed ones, the
     * pipelines alternating run by run so that a change of the machine's load touches all
     * alike; the median of each, in the order of {@code names}. {@code pass} runs the
     * pipeline of that index.
     */
    static <T> List<Measured<T>> alternating(String what, int warmup, List<String> names, IntFunction<Timed<T>> pass) {
        for (int i = 0; i < warmup; i++) {
            for (int p = 0; p < names.size(); p++) {
                pass.apply(p);
            }
        }
        List<List<Timed<T>>> runs = new ArrayList<>();
        names.forEach(name -> runs.add(new ArrayList<>()));
        for (int i = 0; i < RUNS; i++) {
            StringBuilder line = new StringBuilder(String.format("%s, run %d:", what, i + 1));
            for (int p = 0; p < names.size(); p++) {
                Timed<T> run = pass.apply(p);
                runs.get(p).add(run);
                line.append(p == 0 ? " " : ", ").append(names.get(p)).append(' ').append(run);
            }
            System.out.println(line);
        }
        return runs.stream().map(Measured::of).toList();
    }

    private static <T> Measured<T> of(List<Timed<T>> runs) {
        long[] times = runs.stream().mapToLong(Timed::nanos).sorted().toArray();
        long[] cpu = runs.stream().mapToLong(Timed::cpuNanos).sorted().toArray();
        return new Measured<>(times[RUNS / 2], cpu[RUNS / 2], cpu[RUNS - 2] - cpu[1], runs.get(RUNS - 1).totals());
    }

    /** {@code units} per second of the median wall time. */
    double rate(long units) {
        return units / (median / 1e9);
    }

    /** The table cells wall time, rate, CPU time, rate on CPU time, for {@code units} counted. */
    String cells(long units) {
        return cells(median, medianCpu, units);
    }

    /** The table cells of {@link #cells(long)} for times that are not a pipeline's medians. */
    static String cells(long nanos, long cpuNanos, long units) {
        return String.format("%.3f s | %,.0f | %.3f s | %,.0f", nanos / 1e9, units / (nanos / 1e9), cpuNanos / 1e9,
                units / (cpuNanos / 1e9));
    }

    /** This pipeline's rate as a multiple of {@code base}'s, on wall time. */
    double speedOver(Measured<?> base) {
        return base.median() / (double) median;
    }

    /** This pipeline's rate as a multiple of {@code base}'s, on the thread's CPU time. */
    double cpuSpeedOver(Measured<?> base) {
        return base.medianCpu() / (double) medianCpu;
    }

    /** What this pipeline costs over {@code base}, in CPU time and in wall time. */
    String costOver(Measured<?> base) {
        return String.format("%+.1f%% CPU time, %+.1f%% wall time",
                100.0 * (medianCpu - base.medianCpu()) / base.medianCpu(),
                100.0 * (median - base.median()) / base.median());
    }
}

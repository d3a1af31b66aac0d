package org.trafficllm.bench;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A renderer measured against the one whose text it adds to, alike and in the same run: in a
 * pipeline that also reads its input, and rendering alone over the input held in memory.
 *
 * @param plain the name of the renderer whose text is added to, e.g. {@code flow-bytes}
 * @param added the name of the renderer that adds to it
 * @param whole the two in the pipeline, {@code plain} first
 * @param alone the two rendering alone, {@code plain} first
 */
record Comparison<T>(String plain, String added, List<Measured<T>> whole, List<Measured<T>> alone) {

    /**
     * The table rows of both renderers, in the pipeline {@code pipeline} and then rendering
     * alone (the input {@code held}): wall time, rate, CPU time and rate on CPU time of the
     * {@code units} counted, then the cell {@code last} writes of what a run counted.
     */
    String rows(String pipeline, String held, ToLongFunction<T> units, Function<T, String> last) {
        return row("`" + plain + "`: " + pipeline, whole.get(0), units, last)
                + row("`" + added + "`: " + pipeline, whole.get(1), units, last)
                + row("`" + plain + "`: render only (" + held + ")", alone.get(0), units, last)
                + row("`" + added + "`: render only", alone.get(1), units, last);
    }

    private static <T> String row(String pipeline, Measured<T> m, ToLongFunction<T> units, Function<T, String> last) {
        return String.format("| %s | %s | %s |%n", pipeline, m.cells(units.applyAsLong(m.totals())),
                last.apply(m.totals()));
    }

    /**
     * What the addition costs, in the rate of {@code units} on the thread's CPU time, in the
     * pipeline (said as {@code inPipeline}) and rendering alone, then on wall time.
     */
    String cost(String what, String units, String inPipeline) {
        Measured<T> plainWhole = whole.get(0);
        Measured<T> addedWhole = whole.get(1);
        Measured<T> plainAlone = alone.get(0);
        Measured<T> addedAlone = alone.get(1);
        return String.format("Cost of the %s, on the CPU time of the thread: `%s` runs at **%.2f×** the %s/s of "
                + "`%s` %s (%s), and at %.2f× when rendering alone (%s). On wall time the same runs give %.2f× and "
                + "%.2f×.",
                what, added, addedWhole.cpuSpeedOver(plainWhole), units, plain, inPipeline,
                addedWhole.costOver(plainWhole), addedAlone.cpuSpeedOver(plainAlone), addedAlone.costOver(plainAlone),
                addedWhole.speedOver(plainWhole), addedAlone.speedOver(plainAlone));
    }

    /** How far the CPU times of the runs spread, in the pipeline (said as {@code inPipeline}) and rendering alone. */
    String spread(String inPipeline) {
        return String.format("Of a renderer's %d runs, the middle %d CPU times differ by up to %.0f%% of the median "
                + "%s and %.0f%% rendering alone: differences smaller than that are within what the runs vary.",
                Measured.RUNS, Measured.RUNS - 2, 100 * cpuSpread(whole), inPipeline, 100 * cpuSpread(alone));
    }

    /** The larger CPU-time spread of two pipelines as a share of the smaller median CPU time. */
    private static double cpuSpread(List<? extends Measured<?>> pipelines) {
        long spread = pipelines.stream().mapToLong(Measured::cpuSpread).max().orElseThrow();
        return spread / (double) pipelines.stream().mapToLong(Measured::medianCpu).min().orElseThrow();
    }

    /** The wall time of the addition alone: the difference of the medians, rendering alone. */
    long addedNanos() {
        return alone.get(1).median() - alone.get(0).median();
    }

    /** The thread's CPU time of the addition alone: the difference of the medians, rendering alone. */
    long addedCpuNanos() {
        return alone.get(1).medianCpu() - alone.get(0).medianCpu();
    }

    /** The larger CPU-time spread of the two renderers' runs, rendering alone. */
    long aloneCpuSpread() {
        return Math.max(alone.get(0).cpuSpread(), alone.get(1).cpuSpread());
    }
}

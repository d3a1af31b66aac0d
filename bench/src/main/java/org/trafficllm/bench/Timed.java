package org.trafficllm.bench;

/**
 * The totals of one pass, its wall time and the CPU time of the thread that ran it.
 *
 * @param totals what the pass counted
 * @param nanos wall time
 * @param cpuNanos the thread's CPU time
 */
record Timed<T>(T totals, long nanos, long cpuNanos) {

    @Override
    public String toString() {
        return String.format("%.3f s (CPU %.3f s)", nanos / 1e9, cpuNanos / 1e9);
    }
}

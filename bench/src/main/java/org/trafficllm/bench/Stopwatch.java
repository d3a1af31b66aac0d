package org.trafficllm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall time and the current thread's CPU time since it was made. On a shared machine the
 * CPU time leaves out the time the thread waited for a core.
 */
final class Stopwatch {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final long wall = System.nanoTime();
    private final long cpu = THREADS.getCurrentThreadCpuTime();

    /** The totals of a pass with the wall time and the thread's CPU time since this stopwatch was made. */
    <T> Timed<T> stop(T totals) {
        return new Timed<>(totals, System.nanoTime() - wall, THREADS.getCurrentThreadCpuTime() - cpu);
    }
}

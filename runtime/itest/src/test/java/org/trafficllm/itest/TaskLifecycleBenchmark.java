package org.trafficllm.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskLifecycle;
import org.trafficllm.api.task.TaskPackager;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.dto.TaskDTO;

/**
 * Not a test: the measurements behind BENCHMARKS.md, run in the real framework over
 * the real llama-tiny base model by {@code mvn -Pbench} (which sets
 * {@code trafficllm.bench=true}). Measures how long a register and an update take
 * until the first answer comes from the new version, and how much memory each
 * installed task adds with 1, 5 and 10 tasks installed. Writes
 * {@code target/bench-eapeft.md}; asserts nothing about time.
 */
@ExtendWith(ServiceExtension.class)
@EnabledIfSystemProperty(named = "trafficllm.bench", matches = "true")
class TaskLifecycleBenchmark {
    private static final String TRAFFIC = "ip.src: 10.0.0.1, ip.dst: 10.0.0.2, tcp.srcport: 51515, tcp.dstport: 443";
    private static final int REGISTERS = 5;
    private static final int UPDATES = 20;

    @InjectService(timeout = 120_000)
    BaseModel model;

    @InjectService(timeout = 30_000)
    TaskRegistry registry;

    @InjectService(timeout = 30_000)
    TaskLifecycle lifecycle;

    @InjectService(timeout = 30_000)
    TaskPackager packager;

    @TempDir
    Path dir;

    /** Calls until the task answers from {@code version}; returns the nanoseconds since {@code start}. */
    private long untilAnsweredBy(String task, String version, long start) throws TaskException {
        while (!registry.classify(task, null, List.of(TRAFFIC)).get(0).version.equals(version)) {
            Thread.onSpinWait();
        }
        return System.nanoTime() - start;
    }

    @Test
    void measure() throws Exception {
        StringBuilder out = new StringBuilder();
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        out.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (").append(cpu)
                .append("), Java ")
                .append(System.getProperty("java.version")).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB; ").append(LocalDate.now()).append(".\n\n");

        // Warm the engine and the code paths once, outside the figures.
        Path warm = TaskFixtures.pack(packager, dir, "WARM", "detection", "1.0.0", "llama-tiny-lora", "llama-tiny");
        lifecycle.register(warm.toString());
        untilAnsweredBy("WARM", "1.0.0", System.nanoTime());
        lifecycle.unregister("WARM");

        List<Long> registers = new ArrayList<>();
        List<Long> updates = new ArrayList<>();
        Path first = TaskFixtures.pack(packager, dir, "UPD", "detection", "1.0.0", "llama-tiny-lora", "llama-tiny");
        long start = 0;
        for (int i = 0; i < REGISTERS; i++) {
            if (i > 0) {
                lifecycle.unregister("UPD");
            }
            start = System.nanoTime();
            lifecycle.register(first.toString());
            registers.add(untilAnsweredBy("UPD", "1.0.0", start));
        }
        for (int i = 1; i <= UPDATES; i++) {
            String version = (i + 1) + ".0.0";
            Path next = TaskFixtures.pack(packager, dir, "UPD", "detection", version,
                    i % 2 == 0 ? "llama-tiny-lora" : "llama-tiny-prefix", "llama-tiny");
            start = System.nanoTime();
            lifecycle.update("UPD", next.toString());
            updates.add(untilAnsweredBy("UPD", version, start));
        }
        lifecycle.unregister("UPD");
        out.append("### Update latency (call to first answer from the new version)\n\n");
        out.append("| operation | runs | median | min | max |\n|---|---|---|---|---|\n");
        row(out, "register (install + start)", registers);
        row(out, "update (Bundle.update, LoRA and prefix adapters alternating)", updates);

        out.append("\n### Memory per installed task\n\n");
        out.append("Tasks alternate the LoRA (r=4, all projections) and prefix (8 virtual tokens) fixture adapters. "
                + "Adapter bytes are what the model reports for the resident tensors; RSS is the process's resident "
                + "set after a GC, heap the Java heap in use after it.\n\n");
        out.append("| tasks installed | adapter bytes (sum) | RSS added | RSS added per task | RSS per task since the "
                + "row before | heap added | heap added per task |\n|---|---|---|---|---|---|---|\n");
        long rss0 = rss();
        long heap0 = heap();
        long rssBefore = 0;
        int installedBefore = 0;
        int installed = 0;
        for (int target : new int[] {1, 5, 10}) {
            while (installed < target) {
                installed++;
                lifecycle.register(TaskFixtures.pack(packager, dir, "MEM" + installed, "detection", "1.0.0",
                        installed % 2 == 0 ? "llama-tiny-prefix" : "llama-tiny-lora", "llama-tiny").toString());
                registry.classify("MEM" + installed, null, List.of(TRAFFIC));
            }
            long adapters = registry.tasks().stream().filter(d -> d.id.startsWith("MEM")).mapToLong(d -> d.adapterBytes)
                    .sum();
            long rss = rss() - rss0;
            long heap = heap() - heap0;
            out.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s |%n", target, kib(adapters),
                    kib(rss), kib(rss / target), kib((rss - rssBefore) / (target - installedBefore)), kib(heap),
                    kib(heap / target)));
            rssBefore = rss;
            installedBefore = target;
        }
        for (TaskDTO d : registry.tasks()) {
            if (d.id.startsWith("MEM")) {
                lifecycle.unregister(d.id);
            }
        }
        Path report = Path.of(TaskFixtures.property("trafficllm.work")).resolveSibling("bench-eapeft.md");
        Files.writeString(report, out.toString());
        assertThat(report).exists();
    }

    private static void row(StringBuilder out, String what, List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        out.append(String.format(Locale.ROOT, "| %s | %d | %.1f ms | %.1f ms | %.1f ms |%n", what, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6));
    }

    private static String kib(long bytes) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    private static long heap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** Resident set size from /proc, after a GC. */
    private static long rss() throws Exception {
        heap();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.trim().split("\\s+");
                return Long.parseLong(parts[1]) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}

package org.trafficllm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The machine a benchmark ran on, as its section of BENCHMARKS.md reports it.
 *
 * @param nproc processors available to the JVM ({@code nproc})
 * @param cpu the first model name of {@code /proc/cpuinfo}
 * @param ram total memory, in GiB
 * @param load the one-minute load average when this was read
 */
record Machine(String nproc, String cpu, String ram, String load) {

    /**
     * The sentence a benchmark's section opens its machine line with: CPUs, CPU, RAM,
     * Java, tshark, date and load average (read it when the run ends).
     */
    static String describe() throws IOException, InterruptedException {
        Machine m = current();
        return "Machine: " + m.nproc() + " CPUs (`nproc`), " + m.cpu() + ", " + m.ram() + " RAM; Java "
                + System.getProperty("java.version") + "; " + Tshark.version() + ". Date: " + LocalDate.now()
                + ". Load average when the run ended: " + m.load();
    }

    /** This machine now (read the load average when the run ends). */
    static Machine current() throws IOException {
        String cpu = "unknown CPU";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).trim();
                break;
            }
        }
        String ram = "unknown";
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                long kb = Long.parseLong(line.replaceAll("\\D", ""));
                ram = String.format("%.1f GiB", kb / 1024.0 / 1024.0);
                break;
            }
        }
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        return new Machine(Integer.toString(Runtime.getRuntime().availableProcessors()), cpu, ram, load);
    }
}

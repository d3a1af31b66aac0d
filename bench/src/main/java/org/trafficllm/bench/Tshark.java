package org.trafficllm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/** tshark as the benchmarks' peer: one process per capture file, as TrafficLLM ran it. */
final class Tshark {
    private static final long TIMEOUT_SECONDS = 300;
    private static final int STARTUP_RUNS = 5;

    /** One tshark run on one file. */
    @FunctionalInterface
    interface Run {
        void on(Path file) throws IOException, InterruptedException;
    }

    private Tshark() {
    }

    /**
     * Runs {@code command} (tshark on {@code file}) to its end, its standard error
     * dropped, and returns what {@code reader} makes of the lines of its standard output.
     * The exit status is not looked at: on a damaged file tshark prints the packets before
     * the damage and fails.
     */
    static <T> T run(List<String> command, Path file, Function<Stream<String>, T> reader)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("tshark", ".tsv");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("tshark timed out on " + file);
            }
            try (Stream<String> lines = Files.lines(out, StandardCharsets.UTF_8)) {
                return reader.apply(lines);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Median wall time of {@code run} on the smallest file: mostly process and dissector start-up. */
    static long startupNanos(List<Path> files, Run run) throws IOException, InterruptedException {
        Path smallest = Corpus.smallest(files);
        long[] t = new long[STARTUP_RUNS];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            run.on(smallest);
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[STARTUP_RUNS / 2];
    }

    /** Below this share of the whole run, what is left after the start-up is measurement noise. */
    private static final double MIN_STEADY_SHARE = 0.05;

    /**
     * The wall time of {@code processes} runs less {@code startupNanos} each, or -1 when
     * start-up is (nearly) all of it: the start-up is measured on the smallest file, so
     * when every run is mostly start-up what remains is noise, not a steady rate.
     */
    static long lessStartup(long totalNanos, long startupNanos, int processes) {
        long steady = totalNanos - startupNanos * processes;
        return steady >= MIN_STEADY_SHARE * totalNanos ? steady : -1;
    }

    /** The table cells (time, rate) of tshark less its start-up, for {@code units} counted. */
    static String lessStartupCells(long steadyNanos, long units) {
        return steadyNanos < 0 ? "start-up is over 95 % of the run: no steady rate | —"
                : String.format("%.1f s | %,.0f", steadyNanos / 1e9, units / (steadyNanos / 1e9));
    }

    /** "N× against tshark without its start-up", or why there is no such figure. */
    static String lessStartupRatio(double ourRate, long steadyNanos, long units) {
        return steadyNanos < 0 ? "no figure against tshark without its start-up: start-up is over 95 % of its run"
                : String.format("%.0f× against tshark without its start-up", ourRate / (units / (steadyNanos / 1e9)));
    }

    /** The first line of {@code tshark --version}, without its final dot. */
    static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("TShark")).findFirst().orElse("tshark").replaceAll("\\.$", "");
        p.waitFor();
        return first.trim();
    }
}

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

    /** The first line of {@code tshark --version}, without its final dot. */
    static String version() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("TShark")).findFirst().orElse("tshark").replaceAll("\\.$", "");
        p.waitFor();
        return first.trim();
    }
}

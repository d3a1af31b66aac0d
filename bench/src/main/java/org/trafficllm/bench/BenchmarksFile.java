package org.trafficllm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** BENCHMARKS.md, where each benchmark owns one {@code ## } section. */
final class BenchmarksFile {
    private static final String BUILD = "mvn -B -o -Pbench -pl bench -am verify -DskipTests";

    private BenchmarksFile() {
    }

    /**
     * Replaces the section that starts with {@code title} (up to the next {@code ## }
     * heading) by {@code section}, or appends it; the other sections are kept as they are.
     */
    static void replaceSection(Path file, String title, String section) throws IOException {
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\nMeasured numbers, with the command, machine and date of each run.\n";
        int start = text.indexOf(title);
        if (start >= 0) {
            int end = text.indexOf("\n## ", start + title.length());
            text = text.substring(0, start) + section + (end >= 0 ? text.substring(end) : "");
        } else {
            text = text.stripTrailing() + "\n\n" + section;
        }
        Files.writeString(file, text);
    }

    /**
     * The start of a benchmark's section: its title, how to run it alone (every benchmark of
     * the {@code bench} profile is left out with {@code benchmark.skip} but the one whose
     * skip property is {@code skipProperty}) and the machine it ran on.
     */
    static String heading(String title, Class<?> main, String skipProperty) throws IOException, InterruptedException {
        return title + "\n\nCommand (this benchmark alone): `" + BUILD + " -Dbenchmark.skip=true -D" + skipProperty
                + "=false` (main class `" + main.getName() + "`; `-Dbenchmark.skip=true` leaves out the `bench` "
                + "profile's other benchmarks, which would each rewrite their own section).\n\n" + Machine.describe()
                + " (the machine is shared with other work; every pipeline ran under the same load).\n\n";
    }
}

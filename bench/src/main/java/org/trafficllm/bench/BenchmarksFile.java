package org.trafficllm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** BENCHMARKS.md, where each benchmark owns one {@code ## } section. */
final class BenchmarksFile {

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
}

package org.trafficllm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The capture files a benchmark reads. */
final class Corpus {

    private Corpus() {
    }

    /** The capture files ({@code .pcap}, {@code .pcapng}, {@code .cap}) directly in {@code dir}, by name. */
    static List<Path> captures(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)")).sorted().toList();
        }
    }

    /** The smallest of {@code files}; one whose size cannot be read counts as the largest. */
    static Path smallest(List<Path> files) {
        return files.stream().min((a, b) -> Long.compare(size(a), size(b))).orElseThrow();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}

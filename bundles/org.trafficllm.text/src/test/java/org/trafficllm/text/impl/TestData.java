package org.trafficllm.text.impl;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared public captures; tests fail, never skip, when they are missing. */
final class TestData {
    private TestData() {
    }

    static Path file(String relative) {
        String root = System.getProperty("trafficllm.data", System.getenv("TRAFFICLLM_DATA"));
        if (root == null || !Files.isDirectory(Path.of(root))) {
            throw new IllegalStateException("shared data not found: set -Dtrafficllm.data or TRAFFICLLM_DATA (was " + root + ")");
        }
        Path p = Path.of(root).resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing shared capture " + p);
        }
        return p;
    }
}

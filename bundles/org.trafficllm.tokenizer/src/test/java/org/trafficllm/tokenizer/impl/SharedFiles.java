package org.trafficllm.tokenizer.impl;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared reference fixtures and public data are; missing ones fail the test. */
final class SharedFiles {
    private SharedFiles() {
    }

    static Path fixtures() {
        return existing("trafficllm.fixtures", "TRAFFICLLM_FIXTURES");
    }

    static Path data() {
        return existing("trafficllm.data", "TRAFFICLLM_DATA");
    }

    static Path fixtureTokenizer() {
        return fixtures().resolve("tokenizer/tokenizer.json");
    }

    private static Path existing(String property, String env) {
        String value = System.getProperty(property, System.getenv(env));
        if (value == null) {
            throw new IllegalStateException("set -D" + property + " or " + env);
        }
        Path path = Path.of(value);
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException(property + "=" + path + ": not a directory");
        }
        return path;
    }
}

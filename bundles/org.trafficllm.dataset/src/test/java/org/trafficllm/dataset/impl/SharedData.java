package org.trafficllm.dataset.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The public corpora under {@code trafficllm.data} (or {@code TRAFFICLLM_DATA}); tests fail without them. */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String value = System.getProperty("trafficllm.data");
        if (value == null || value.isBlank()) {
            value = System.getenv("TRAFFICLLM_DATA");
        }
        assertThat(value).as("system property trafficllm.data or env TRAFFICLLM_DATA").isNotBlank();
        Path root = Paths.get(value);
        assertThat(root).as("shared data folder").isDirectory();
        return root;
    }

    public static Path path(String relative) {
        Path path = root().resolve(relative);
        assertThat(path).as(relative).exists();
        return path;
    }
}

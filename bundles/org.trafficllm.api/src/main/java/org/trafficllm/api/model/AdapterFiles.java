package org.trafficllm.api.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the files of a PEFT adapter ({@code adapter_config.json},
 * {@code adapter_model.safetensors}) are read from: a directory, a map of file
 * contents, or anything else that can open a named entry, such as a bundle's
 * entries.
 */
@FunctionalInterface
public interface AdapterFiles {

    /**
     * Opens a file of the adapter.
     *
     * @param name file name, e.g. {@code adapter_config.json}
     * @return the stream, or {@code null} when the adapter has no such file
     */
    InputStream open(String name) throws IOException;

    /** A short description of where the files come from, used in error messages. */
    default String origin() {
        return "adapter files";
    }

    /** The files of a directory. */
    static AdapterFiles of(Path directory) {
        return new AdapterFiles() {
            @Override
            public InputStream open(String name) throws IOException {
                try {
                    return Files.newInputStream(directory.resolve(name));
                } catch (NoSuchFileException e) {
                    return null;
                }
            }

            @Override
            public String origin() {
                return directory.toString();
            }
        };
    }

    /** Files held in memory, keyed by file name. */
    static AdapterFiles of(Map<String, byte[]> files) {
        Map<String, byte[]> copy = Map.copyOf(files);
        return new AdapterFiles() {
            @Override
            public InputStream open(String name) {
                byte[] bytes = copy.get(name);
                return bytes == null ? null : new ByteArrayInputStream(bytes);
            }

            @Override
            public String origin() {
                return "in-memory files " + copy.keySet();
            }
        };
    }
}

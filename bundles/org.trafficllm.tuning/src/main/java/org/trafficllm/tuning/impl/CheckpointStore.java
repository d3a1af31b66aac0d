package org.trafficllm.tuning.impl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.trafficllm.api.tuning.TuningException;

/**
 * A run's checkpoint directory. {@code job.json} says what the run is; each
 * checkpoint {@code ckpt-<step>/} is written completely in a hidden temporary
 * directory and renamed into place, then {@code latest} (itself replaced by a rename)
 * names it and older checkpoints are deleted. A process killed at any moment leaves
 * either the previous checkpoint or the new one as {@code latest}, never a half
 * written one; leftovers of an interrupted write are removed on the next start.
 * {@code result.json} marks a finished run.
 */
final class CheckpointStore {
    static final String JOB = "job.json";
    static final String LATEST = "latest";
    static final String RESULT = "result.json";
    private static final Pattern CHECKPOINT = Pattern.compile("ckpt-(\\d+)");

    final Path dir;

    CheckpointStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    boolean hasJob() {
        return Files.isRegularFile(dir.resolve(JOB));
    }

    void writeJob(JsonNode job) throws TuningException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TuningException(dir + ": cannot create the checkpoint directory: " + e.getMessage(), e);
        }
        writeJson(dir.resolve(JOB), job);
    }

    JsonNode readJob() throws TuningException {
        return readJson(dir.resolve(JOB));
    }

    /** The checkpoint {@code latest} names, if there is one. */
    Optional<Path> latest() throws TuningException {
        Path pointer = dir.resolve(LATEST);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        try {
            String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
            Path checkpoint = dir.resolve(name);
            if (!CHECKPOINT.matcher(name).matches() || !Files.isDirectory(checkpoint)) {
                throw new TuningException(pointer + ": names '" + name + "', which is not a checkpoint of " + dir);
            }
            return Optional.of(checkpoint);
        } catch (IOException e) {
            throw new TuningException(pointer + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A fresh hidden directory to write the checkpoint of {@code step} into. */
    Path begin(long step) throws TuningException {
        Path tmp = dir.resolve(".ckpt-" + step + ".tmp");
        try {
            deleteTree(tmp);
            return Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new TuningException(tmp + ": cannot create: " + e.getMessage(), e);
        }
    }

    /** Renames a complete checkpoint into place, points {@code latest} at it and deletes the older ones. */
    Path commit(Path tmp, long step) throws TuningException {
        String name = String.format("ckpt-%08d", step);
        Path target = dir.resolve(name);
        try {
            deleteTree(target);
            move(tmp, target);
            Path pointer = dir.resolve(LATEST + ".tmp");
            Files.writeString(pointer, name + "\n", StandardCharsets.UTF_8);
            move(pointer, dir.resolve(LATEST));
            for (Path old : checkpoints()) {
                if (!old.getFileName().toString().equals(name)) {
                    deleteTree(old);
                }
            }
            return target;
        } catch (IOException e) {
            throw new TuningException(target + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }

    /** Removes what an interrupted checkpoint write left behind. */
    void clean() throws TuningException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".ckpt-*.tmp")) {
            for (Path p : entries) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new TuningException(dir + ": cannot clean: " + e.getMessage(), e);
        }
    }

    private List<Path> checkpoints() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "ckpt-*")) {
            for (Path p : entries) {
                Matcher m = CHECKPOINT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    static void writeJson(Path file, Object value) throws TuningException {
        try {
            writeAtomically(file, DatasetFile.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        } catch (IOException e) {
            throw new TuningException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    static JsonNode readJson(Path file) throws TuningException {
        try {
            return DatasetFile.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new TuningException(file + ": cannot read: " + DatasetFile.firstLine(e.getMessage()), e);
        }
    }

    /** Writes beside the file, then renames over it. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        move(tmp, file);
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}

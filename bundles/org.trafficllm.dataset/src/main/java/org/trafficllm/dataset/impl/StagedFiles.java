package org.trafficllm.dataset.impl;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.trafficllm.api.dataset.DatasetException;

/**
 * The files of one build, written as hidden temporary files in the output folder
 * and renamed into place only when all are written. The marker file (the report) is
 * removed before the renames and renamed last, so a build that fails at any point
 * never leaves a set of files that looks complete.
 */
final class StagedFiles implements AutoCloseable {
    private final Path folder;
    private final Map<Path, Path> staged = new LinkedHashMap<>();
    private Path marker;

    StagedFiles(Path folder) throws DatasetException {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new DatasetException(folder + ": cannot create the output folder: " + e.getMessage(), e);
        }
    }

    /**
     * A temporary file that becomes {@code fileName} on {@link #commit()}. It is
     * created with the permissions of any new file (0666 less the process's umask,
     * so usually 0644), not the owner-only 0600 of {@link Files#createTempFile}: the
     * rename keeps them, and a dataset is meant to be read by others.
     */
    Path stage(String fileName) throws DatasetException {
        Path target = folder.resolve(fileName);
        for (int attempt = 0;; attempt++) {
            Path temp = folder.resolve("." + fileName + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".part");
            try {
                Files.createFile(temp);
                staged.put(target, temp);
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw new DatasetException(target + ": cannot create a temporary file: " + e.getMessage(), e);
                }
            } catch (IOException e) {
                throw new DatasetException(target + ": cannot create a temporary file: " + e.getMessage(), e);
            }
        }
    }

    /** Like {@link #stage(String)}, for the file whose presence says the build is complete. */
    Path stageMarker(String fileName) throws DatasetException {
        Path temp = stage(fileName);
        marker = folder.resolve(fileName);
        return temp;
    }

    /** Renames every staged file into place, the marker last. */
    void commit() throws DatasetException {
        List<Path> order = new ArrayList<>(staged.keySet());
        if (marker != null) {
            order.remove(marker);
            order.add(marker);
            try {
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                throw new DatasetException(marker + ": cannot remove the previous build's report: " + e.getMessage(), e);
            }
        }
        for (Path target : order) {
            Path temp = staged.get(target);
            try {
                move(temp, target);
            } catch (IOException e) {
                throw new DatasetException(target + ": cannot rename " + temp.getFileName() + " into place: "
                        + e.getMessage(), e);
            }
            staged.remove(target);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes the temporary files not committed. */
    @Override
    public void close() {
        for (Path temp : staged.values()) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the folder may have gone; a stale hidden .part file is harmless
            }
        }
        staged.clear();
    }
}

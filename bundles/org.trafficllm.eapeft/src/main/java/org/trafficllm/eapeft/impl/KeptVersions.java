package org.trafficllm.eapeft.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.osgi.framework.Bundle;

/**
 * The jars of task versions that served, kept under the work directory so that a
 * rollback can install the previous one again: {@code <root>/<task id>/<serial>-<version>-<content digest>.jar},
 * oldest first: a stack of what served. A version is kept when it starts serving
 * (unless it is the newest already); a rollback drops the versions above the one it
 * returns to, so rolling back again goes one further.
 */
final class KeptVersions {
    /** One kept jar. */
    record Kept(Path jar, long serial, String version, String digest) {
    }

    private final Path root;
    private final int limit;

    KeptVersions(Path root, int limit) {
        this.root = root;
        this.limit = Math.max(1, limit);
    }

    Path root() {
        return root;
    }

    /**
     * Writes the bundle's current entries into a new jar under the incoming
     * directory: the manifest first (its bytes unchanged, so signatures still
     * verify), then every other entry.
     */
    Path export(Bundle bundle) throws IOException {
        Path incoming = root.resolve(".incoming");
        Files.createDirectories(incoming);
        Path jar = Files.createTempFile(incoming, bundle.getBundleId() + "-", ".jar");
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream out = new ZipOutputStream(file)) {
            URL manifest = bundle.getEntry(JarFile.MANIFEST_NAME);
            if (manifest != null) {
                copy(manifest, JarFile.MANIFEST_NAME, out);
            }
            Enumeration<URL> entries = bundle.findEntries("/", "*", true);
            TreeMap<String, URL> sorted = new TreeMap<>();
            while (entries != null && entries.hasMoreElements()) {
                URL url = entries.nextElement();
                String name = url.getPath().replaceAll("^/+", "");
                if (!name.isEmpty() && !name.endsWith("/") && !name.equals(JarFile.MANIFEST_NAME)) {
                    sorted.put(name, url);
                }
            }
            for (var e : sorted.entrySet()) {
                copy(e.getValue(), e.getKey(), out);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(jar);
            throw e;
        }
        return jar;
    }

    private static void copy(URL url, String name, ZipOutputStream out) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        try (InputStream in = url.openStream()) {
            in.transferTo(out);
        }
        out.closeEntry();
    }

    /**
     * Records the exported jar of a version that now serves, unless it is the
     * newest kept already; keeps at most the limit. The exported file is moved or deleted.
     */
    void keep(String task, String version, String digest, Path exported) throws IOException {
        List<Kept> kept = versions(task);
        if (!kept.isEmpty() && digest.startsWith(kept.get(kept.size() - 1).digest())) {
            Files.deleteIfExists(exported);
            return;
        }
        Path dir = root.resolve(task);
        Files.createDirectories(dir);
        long serial = kept.isEmpty() ? 1 : kept.get(kept.size() - 1).serial() + 1;
        Path target = dir.resolve(String.format("%06d-%s-%s.jar", serial, version, digest.substring(0, 16)));
        Files.move(exported, target, StandardCopyOption.REPLACE_EXISTING);
        List<Kept> all = versions(task);
        for (int i = 0; i < all.size() - limit; i++) {
            Files.deleteIfExists(all.get(i).jar());
        }
    }

    /** Kept versions of a task, oldest first. */
    List<Kept> versions(String task) {
        Path dir = root.resolve(task);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Kept> kept = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                String name = f.getFileName().toString();
                if (!name.endsWith(".jar")) {
                    return;
                }
                String stem = name.substring(0, name.length() - 4);
                int first = stem.indexOf('-');
                int last = stem.lastIndexOf('-');
                if (first <= 0 || last <= first) {
                    return;
                }
                try {
                    kept.add(new Kept(f, Long.parseLong(stem.substring(0, first)), stem.substring(first + 1, last),
                            stem.substring(last + 1)));
                } catch (NumberFormatException e) {
                    // not a file of ours
                }
            });
        } catch (IOException e) {
            return List.of();
        }
        kept.sort(Comparator.comparingLong(Kept::serial));
        return Collections.unmodifiableList(kept);
    }

    /**
     * The version a rollback returns to. When the serving content is the newest
     * kept, the one before it; when the bundle holds something else than what serves
     * (a refused or pending update), the serving one itself.
     */
    Optional<Kept> rollbackTarget(String task, String servingDigest, boolean bundleIsServing) {
        List<Kept> kept = versions(task);
        for (int i = kept.size() - 1; i >= 0; i--) {
            if (servingDigest != null && servingDigest.startsWith(kept.get(i).digest())) {
                if (!bundleIsServing) {
                    return Optional.of(kept.get(i));
                }
                return i > 0 ? Optional.of(kept.get(i - 1)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The kept jar of the serving content, if any. */
    Optional<Kept> serving(String task, String servingDigest) {
        List<Kept> kept = versions(task);
        for (int i = kept.size() - 1; i >= 0; i--) {
            if (servingDigest != null && servingDigest.startsWith(kept.get(i).digest())) {
                return Optional.of(kept.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * Moves the versions kept after {@code target} aside, so that the target is the
     * newest while a rollback installs it; {@link #restore} puts them back when the
     * rollback fails, {@link #discard} deletes them when it succeeds.
     */
    List<Path> setAside(String task, Kept target) throws IOException {
        List<Path> aside = new ArrayList<>();
        for (Kept k : versions(task)) {
            if (k.serial() > target.serial()) {
                Path moved = k.jar().resolveSibling(k.jar().getFileName() + ".aside");
                Files.move(k.jar(), moved, StandardCopyOption.REPLACE_EXISTING);
                aside.add(moved);
            }
        }
        return aside;
    }

    void restore(List<Path> aside) throws IOException {
        for (Path p : aside) {
            String name = p.getFileName().toString();
            Files.move(p, p.resolveSibling(name.substring(0, name.length() - ".aside".length())),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    void discard(List<Path> aside) throws IOException {
        for (Path p : aside) {
            Files.deleteIfExists(p);
        }
    }

    /** Deletes every kept version of a task. */
    void forget(String task) {
        for (Kept k : versions(task)) {
            try {
                Files.deleteIfExists(k.jar());
            } catch (IOException e) {
                // a stale file is harmless: versions() lists only what is there
            }
        }
        try {
            Files.deleteIfExists(root.resolve(task));
        } catch (IOException e) {
            // not empty because of a foreign file: leave it
        }
    }
}

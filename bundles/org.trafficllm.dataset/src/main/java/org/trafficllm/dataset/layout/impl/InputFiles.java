package org.trafficllm.dataset.layout.impl;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.trafficllm.api.dataset.DatasetException;

/** Opening corpus files: plain or gzip (by content, not by name), with a count of the file bytes read. */
final class InputFiles {
    private InputFiles() {
    }

    /** A file's content, decompressed when it starts with the gzip magic. */
    static final class Opened extends FilterInputStream {
        private final Counting counting;
        final boolean gzip;

        private Opened(InputStream in, Counting counting, boolean gzip) {
            super(in);
            this.counting = counting;
            this.gzip = gzip;
        }

        /** Bytes of the file (compressed, when gzip) read so far. */
        long fileBytesRead() {
            return counting.count;
        }
    }

    static Opened open(Path file) throws IOException {
        Counting counting = new Counting(Files.newInputStream(file));
        BufferedInputStream buffered = new BufferedInputStream(counting, 1 << 16);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        InputStream content = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        return new Opened(content, counting, gzip);
    }

    /**
     * A one-line message for a failure while reading a (possibly gzip) file, naming
     * the file and the place.
     */
    static DatasetException damaged(Path file, IOException e, String place, Opened in) {
        String what;
        if (in != null && in.gzip && e instanceof EOFException) {
            what = "truncated gzip stream";
        } else if (in != null && in.gzip && e instanceof ZipException) {
            what = "corrupt gzip data (" + e.getMessage() + ")";
        } else {
            what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        long at = in == null ? 0 : in.fileBytesRead();
        return new DatasetException(file.getFileName() + ": " + what + " " + place + ", " + at + " of "
                + size(file) + " file bytes read", e);
    }

    /** The regular files of {@code folder} (or {@code path} itself) matching {@code filter}, sorted by name. */
    static List<Path> files(Path path, Predicate<Path> filter) throws DatasetException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            List<Path> files = new ArrayList<>(entries.filter(Files::isRegularFile).filter(filter).toList());
            files.sort(null);
            return files;
        } catch (IOException e) {
            throw new DatasetException(path + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}

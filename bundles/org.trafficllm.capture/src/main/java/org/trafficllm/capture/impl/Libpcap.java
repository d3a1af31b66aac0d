package org.trafficllm.capture.impl;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Sets up pcap4j and JNA once per JVM, the one place where this bundle keeps static
 * state: pcap4j reads the library name from a system property when its native
 * mappings load, and finds its parts through the thread context class loader.
 *
 * <p>Debian's libpcap0.8 installs only {@code libpcap.so.0.8} (the unversioned
 * {@code libpcap.so} comes with the -dev package). JNA usually finds the versioned
 * file by itself; when it does not, the library path is searched and the property
 * set to the file found, unless the user set it already.
 */
final class Libpcap {
    static final String LIBRARY_PROPERTY = "org.pcap4j.core.pcapLibName";
    private static final String[] LIBRARY_DIRECTORIES = {
        "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
        "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib", "/opt/homebrew/lib"
    };
    private static final Object LOCK = new Object();
    private static boolean configured;

    /** A pcap4j call run with this bundle as context class loader. */
    interface Call<T> {
        T run() throws PcapNativeException;
    }

    private Libpcap() {
    }

    /**
     * Chooses the library before pcap4j's first use; {@code library} (a file or a
     * name) wins over the search when not blank.
     */
    static void configure(String library) {
        synchronized (LOCK) {
            if (configured) {
                return;
            }
            configured = true;
            if (System.getProperty(LIBRARY_PROPERTY) != null) {
                return;
            }
            if (library != null && !library.isBlank()) {
                System.setProperty(LIBRARY_PROPERTY, library.trim());
                return;
            }
            if (loadable("pcap")) {
                return;
            }
            find().ifPresent(path -> System.setProperty(LIBRARY_PROPERTY, path.toString()));
        }
    }

    private static boolean loadable(String name) {
        try {
            return inContext(() -> com.sun.jna.NativeLibrary.getInstance(name) != null);
        } catch (PcapNativeException e) {
            return false;
        }
    }

    private static Optional<Path> find() {
        for (String directory : LIBRARY_DIRECTORIES) {
            File[] candidates = new File(directory).listFiles((d, n) -> n.equals("libpcap.so") || n.startsWith("libpcap.so.")
                    || n.equals("libpcap.dylib") || n.matches("libpcap\\.[0-9.]+\\.dylib"));
            if (candidates != null && candidates.length > 0) {
                return Arrays.stream(candidates).max(Comparator.comparing(File::getName)).map(File::toPath);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code call} with the bundle's class loader as context class loader and
     * turns a missing native library into a {@link PcapNativeException}.
     */
    static <T> T call(Call<T> call) throws PcapNativeException {
        configure(null);
        return inContext(call);
    }

    private static <T> T inContext(Call<T> call) throws PcapNativeException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Libpcap.class.getClassLoader());
        try {
            return call.run();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            throw new PcapNativeException("libpcap cannot be loaded (install libpcap0.8, or set the system property "
                    + LIBRARY_PROPERTY + " to its path): " + CaptureFileLayout.oneLine(String.valueOf(e.getMessage())));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static PcapHandle openOffline(Path file) throws PcapNativeException {
        return call(() -> Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO));
    }

    static String version() throws PcapNativeException {
        return call(Pcaps::libVersion);
    }

    /** pcap4j's message without its "Error occurred in ...:" preamble. */
    static String message(Exception e) {
        String m = CaptureFileLayout.oneLine(e.getMessage());
        int colon = m.indexOf("(): ");
        return colon >= 0 && m.startsWith("Error occurred in") ? m.substring(colon + 4) : m;
    }
}

package org.trafficllm.eapeft.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.trafficllm.api.task.dto.PackageRequestDTO;

/** Task bundle jars for tests, made by the real packager from the reference fixture adapters. */
final class TaskJars {
    private TaskJars() {
    }

    static Path fixtures() {
        String root = System.getProperty("trafficllm.fixtures");
        if (root == null) {
            throw new IllegalStateException("system property trafficllm.fixtures is not set (the build sets it)");
        }
        return Path.of(root);
    }

    /** A task.json with two labels; generation tasks answer with the traffic itself. */
    static Path taskJson(Path dir, String id, String name, String kind) throws IOException {
        Path file = dir.resolve(id + "-" + System.nanoTime() + ".json");
        String template = kind.equals("router") ? "Which task does this ask for? {instruction}"
                : kind.equals("generation") ? "Please generate a {granularity} of {label} traffic."
                : "Classify this {granularity}.\n<{granularity}>: {traffic}";
        Files.writeString(file, "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"kind\":\"" + kind
                + "\",\"granularity\":\"packet\",\"renderer\":\"" + (kind.equals("router") ? "instruction" : "traffic-words")
                + "\",\"labels\":[\"normal\",\"malware\"],\"promptTemplate\":\"" + template.replace("\n", "\\n")
                + "\",\"outputTemplate\":\"" + (kind.equals("generation") ? "{traffic}" : "{label}") + "\"}");
        return file;
    }

    static PackageRequestDTO request(Path dir, String id, String kind, String version, String fixture) throws IOException {
        PackageRequestDTO r = new PackageRequestDTO();
        r.adapterDirectory = fixtures().resolve(fixture).toString();
        r.taskJson = taskJson(dir, id, id + " task", kind).toString();
        r.baseModel = "llama-tiny";
        r.baseModelVersion = "1.0.0";
        r.version = version;
        r.out = dir.resolve(id + "-" + version + "-" + System.nanoTime() + ".jar").toString();
        return r;
    }

    /** Packs a detection task. */
    static Path pack(Path dir, String id, String version, String fixture) throws Exception {
        PackageRequestDTO r = request(dir, id, "detection", version, fixture);
        return Path.of(new TaskBundlePackager().pack(r).jar);
    }

    /**
     * Copies a jar, letting {@code change} rewrite entries (name to bytes; a null
     * result drops the entry) and {@code manifest} edit the main attributes.
     */
    static Path rewrite(Path jar, Path out, UnaryOperator<Map<String, byte[]>> change,
            java.util.function.Consumer<Attributes> manifest) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Manifest mf;
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            mf = new Manifest(in.getManifest());
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                if (!entry.isDirectory() && !entry.getName().equals(JarFile.MANIFEST_NAME)) {
                    try (InputStream s = in.getInputStream(entry)) {
                        entries.put(entry.getName(), s.readAllBytes());
                    }
                }
            }
        }
        Map<String, byte[]> changed = change.apply(entries);
        manifest.accept(mf.getMainAttributes());
        try (OutputStream file = Files.newOutputStream(out); JarOutputStream o = new JarOutputStream(file, mf)) {
            for (Map.Entry<String, byte[]> e : changed.entrySet()) {
                if (e.getValue() != null) {
                    o.putNextEntry(new JarEntry(e.getKey()));
                    o.write(e.getValue());
                    o.closeEntry();
                }
            }
        }
        return out;
    }

    /** A PKCS12 keystore with one self-signed EC key, made by the JDK's keytool. */
    static Path keystore(Path dir, String alias, String dname, String password) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password,
                "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-validity", "30");
        return store;
    }

    /** A keystore holding only the certificate of {@code alias} from {@code keystore}. */
    static Path truststore(Path dir, Path keystore, String alias, String password) throws Exception {
        Path cert = dir.resolve(alias + ".cer");
        Path trust = dir.resolve(alias + "-trust.p12");
        keytool("-exportcert", "-keystore", keystore.toString(), "-storepass", password, "-alias", alias, "-file",
                cert.toString());
        keytool("-importcert", "-noprompt", "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", password,
                "-alias", alias, "-file", cert.toString());
        return trust;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}

package org.trafficllm.itest;

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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ClassificationRequest;
import org.trafficllm.api.task.TaskPackager;
import org.trafficllm.api.task.dto.PackageRequestDTO;

/**
 * Task bundles for the closed-box tests, built by the runtime's own packager from
 * the reference fixture adapters, and the answers the base model gives for them
 * when asked directly (the goldens the task registry must reproduce).
 */
final class TaskFixtures {
    static final List<String> LABELS = List.of("normal", "malware");
    static final String TEMPLATE = "Classify this {granularity}.\n<{granularity}>: {traffic}";

    private TaskFixtures() {
    }

    static Path fixtures() {
        return Path.of(property("trafficllm.fixtures"));
    }

    static Path examples() {
        return Path.of(property("trafficllm.examples"));
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("property " + name + " is not set (itest.bndrun sets it)");
        }
        return value;
    }

    /** Packs a task of {@code kind} whose adapter is the fixture {@code fixture} (llama-tiny-lora or -prefix). */
    static Path pack(TaskPackager packager, Path dir, String id, String kind, String version, String fixture,
            String baseModel) throws Exception {
        return Path.of(packager.pack(request(dir, id, kind, version, fixture, baseModel)).jar);
    }

    /** What {@link #pack} asks the packager for; a test adds a keystore to sign. */
    static PackageRequestDTO request(Path dir, String id, String kind, String version, String fixture, String baseModel)
            throws Exception {
        return request(dir, id, kind, version, fixture, baseModel, "");
    }

    /** As {@link #request(Path, String, String, String, String, String)}, with more task.json fields ({@code ,"a":1}). */
    static PackageRequestDTO request(Path dir, String id, String kind, String version, String fixture, String baseModel,
            String moreFields) throws Exception {
        return request(dir, id, kind, version, fixture, baseModel, "packet", "traffic-words", moreFields);
    }

    /** As {@link #request(Path, String, String, String, String, String, String)}, read at this granularity by this renderer. */
    static PackageRequestDTO request(Path dir, String id, String kind, String version, String fixture, String baseModel,
            String granularity, String renderer, String moreFields) throws Exception {
        Path json = dir.resolve(id + "-" + version + "-task.json");
        String template = kind.equals("router") ? "Which task is this? {instruction}" : TEMPLATE;
        Files.writeString(json, "{\"id\":\"" + id + "\",\"name\":\"" + id + " detection\",\"kind\":\"" + kind
                + "\",\"granularity\":\"" + granularity + "\",\"renderer\":\"" + renderer
                + "\",\"labels\":[\"normal\",\"malware\"],"
                + "\"promptTemplate\":\"" + template.replace("\n", "\\n") + "\",\"outputTemplate\":\"{label}\"" + moreFields + "}");
        PackageRequestDTO r = new PackageRequestDTO();
        r.adapterDirectory = fixtures().resolve(fixture).toString();
        r.taskJson = json.toString();
        r.baseModel = baseModel;
        r.baseModelVersion = "1.0.0";
        r.version = version;
        r.out = dir.resolve(id + "-" + version + "-" + fixture + "-" + baseModel + "-" + System.nanoTime() + ".jar")
                .toString();
        return r;
    }

    /**
     * Label probabilities the base model gives with the fixture adapter loaded under
     * {@code adapterId}, for the prompt the registry builds with {@link #TEMPLATE}: as
     * the prompt format documents, the head, the traffic and the tail are encoded
     * apart, and the traffic's tokens are cut from their end when the prompt, the
     * longest label and the end-of-sequence token would not fit the base model's
     * context (a LoRA adapter adds no virtual tokens).
     */
    static Map<String, Double> golden(BaseModel model, String adapterId, String traffic) throws Exception {
        return golden(model, adapterId, "packet", traffic);
    }

    /** As {@link #golden(BaseModel, String, String)} for a task of this granularity ({@code packet} or {@code flow}). */
    static Map<String, Double> golden(BaseModel model, String adapterId, String granularity, String traffic)
            throws Exception {
        ClassificationRequest request = new ClassificationRequest(adapterId, null, LABELS);
        request.promptTokenIds = promptTokens(model, granularity, traffic, 0, 0);
        return model.classify(request).probabilities;
    }

    /**
     * The tokens of a detection prompt with {@link #TEMPLATE} as the prompt format
     * documents them: head, traffic and tail encoded apart, the traffic's tokens cut
     * from their end to {@code budget} (0: none) and so that the prompt, the
     * {@code reserved} tokens, the longest label and the end-of-sequence token fit the
     * context.
     */
    static int[] promptTokens(BaseModel model, String traffic, int budget, int reserved) throws Exception {
        return promptTokens(model, "packet", traffic, budget, reserved);
    }

    private static int[] promptTokens(BaseModel model, String granularity, String traffic, int budget, int reserved)
            throws Exception {
        int[] head = model.encode("Classify this " + granularity + ".\n<" + granularity + ">: ");
        int[] tail = model.encode("\n");
        int[] text = model.encode(traffic);
        int longest = 0;
        for (String label : LABELS) {
            longest = Math.max(longest, model.encode(label).length);
        }
        int room = model.info().maxContext - reserved - longest - 1 - head.length - tail.length;
        int kept = Math.min(room, text.length);
        if (budget > 0) {
            kept = Math.min(kept, budget);
        }
        int[] tokens = new int[head.length + kept + tail.length];
        System.arraycopy(head, 0, tokens, 0, head.length);
        System.arraycopy(text, 0, tokens, head.length, kept);
        System.arraycopy(tail, 0, tokens, tokens.length - tail.length, tail.length);
        return tokens;
    }

    /**
     * Copies a jar with one entry replaced; with {@code relist} the digest header is
     * recomputed so the digests match the new bytes.
     */
    static Path replaceEntry(Path jar, Path out, String name, byte[] bytes, boolean relist) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Manifest manifest;
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            manifest = new Manifest(in.getManifest());
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                if (!entry.isDirectory() && !entry.getName().equals(JarFile.MANIFEST_NAME)) {
                    try (InputStream s = in.getInputStream(entry)) {
                        entries.put(entry.getName(), s.readAllBytes());
                    }
                }
            }
        }
        entries.put(name, bytes);
        if (relist) {
            Map<String, String> sorted = new TreeMap<>();
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                if (!e.getKey().startsWith("META-INF/")) {
                    sorted.put(e.getKey(), sha256(e.getValue()));
                }
            }
            StringBuilder header = new StringBuilder();
            sorted.forEach((file, digest) -> header.append(header.length() > 0 ? "," : "").append(file)
                    .append(";sha-256=").append(digest));
            manifest.getMainAttributes().putValue("TrafficLLM-Digests", header.toString());
        }
        try (OutputStream file = Files.newOutputStream(out); JarOutputStream o = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                o.putNextEntry(new JarEntry(e.getKey()));
                o.write(e.getValue());
                o.closeEntry();
            }
        }
        return out;
    }

    static byte[] entry(Path jar, String name) throws IOException {
        try (JarFile in = new JarFile(jar.toFile(), false); InputStream s = in.getInputStream(in.getEntry(name))) {
            return s.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to {@code seconds} for {@code condition}; false when it never held. */
    static boolean eventually(int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    /** Runs the JDK's keytool. */
    static void keytool(String... args) throws Exception {
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

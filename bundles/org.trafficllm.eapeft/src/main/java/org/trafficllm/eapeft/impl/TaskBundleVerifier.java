package org.trafficllm.eapeft.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;

/**
 * Decides whether a jar is a task bundle this runtime may load, before any of it
 * reaches the model. A task bundle carries data only: no class or jar entries and
 * none of the headers that give a bundle a class space or let code run for it
 * (activator, class path, imports, exports, DS components, fragment host, natives).
 * Every file outside {@code META-INF/} is listed in the digest header and matches
 * its SHA-256; the adapter files handed on are the very bytes that were digested.
 * When the trust policy asks for it, every file must also be signed by a trusted
 * signer; a signed jar whose files were changed after signing is refused whatever
 * the policy.
 */
final class TaskBundleVerifier {
    /** Headers that would give a data bundle code to run or a class space to borrow. */
    private static final List<String> CODE_HEADERS = List.of("Bundle-Activator", "Bundle-ClassPath", "Import-Package",
            "DynamicImport-Package", "Export-Package", "Service-Component", "Fragment-Host", "Bundle-NativeCode",
            "Bundle-ActivationPolicy");

    private TaskBundleVerifier() {
    }

    static VerifiedTask verify(Path jar, String origin, SignatureTrust trust) throws TaskException {
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            return verify(file, origin, trust);
        } catch (IOException e) {
            throw new TaskException(origin + ": not a readable jar: " + e.getMessage(), e);
        }
    }

    private static VerifiedTask verify(JarFile jar, String origin, SignatureTrust trust) throws TaskException, IOException {
        Manifest manifest = jar.getManifest();
        if (manifest == null) {
            throw new TaskException(origin + ": the jar has no manifest");
        }
        Attributes main = manifest.getMainAttributes();
        String taskPath = main.getValue(TaskRegistry.TASK_HEADER);
        if (taskPath == null || taskPath.isBlank()) {
            throw new TaskException(origin + ": not a task bundle (no " + TaskRegistry.TASK_HEADER + " header)");
        }
        taskPath = taskPath.trim().replaceAll("^/+", "");
        for (String header : CODE_HEADERS) {
            String value = main.getValue(header);
            if (value != null && !(header.equals("Bundle-ClassPath") && value.trim().equals("."))) {
                throw new TaskException(origin + ": carries the header " + header + "; a task bundle carries data only");
            }
        }
        String headerValue = main.getValue(TaskRegistry.DIGESTS_HEADER);
        Map<String, String> listed = DigestList.parse(origin, headerValue);
        String folder = taskPath.contains("/") ? taskPath.substring(0, taskPath.lastIndexOf('/') + 1) : "";

        Map<String, byte[]> contents = new HashMap<>();
        Map<String, CodeSigner[]> signers = new TreeMap<>();
        byte[] buffer = new byte[1 << 16];
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            JarEntry entry = entries.nextElement();
            String name = entry.getName();
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.endsWith(".class") || lower.endsWith(".jar")) {
                throw new TaskException(origin + ": carries code (" + name + "); a task bundle carries data only");
            }
            if (entry.isDirectory() || name.startsWith("META-INF/")) {
                continue;
            }
            String expected = listed.get(name);
            if (expected == null) {
                throw new TaskException(origin + ": " + name + " is not listed in " + TaskRegistry.DIGESTS_HEADER);
            }
            MessageDigest sha = DigestList.sha256();
            java.io.ByteArrayOutputStream kept = keeps(name, taskPath, folder) ? new java.io.ByteArrayOutputStream() : null;
            try (InputStream in = new DigestInputStream(jar.getInputStream(entry), sha)) {
                for (int r; (r = in.read(buffer)) > 0;) {
                    if (kept != null) {
                        kept.write(buffer, 0, r);
                    }
                }
            } catch (SecurityException e) {
                throw new TaskException(origin + ": " + name + " was changed after signing: " + e.getMessage(), e);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(expected)) {
                throw new TaskException(origin + ": " + name + ": SHA-256 is " + actual + ", the manifest lists " + expected);
            }
            signers.put(name, entry.getCodeSigners());
            if (kept != null) {
                contents.put(name, kept.toByteArray());
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : listed.keySet()) {
            if (!signers.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new TaskException(origin + ": listed in " + TaskRegistry.DIGESTS_HEADER + " but missing: "
                    + String.join(", ", missing));
        }
        String signer = trust.check(origin, signers);

        byte[] taskJson = require(origin, contents, taskPath);
        TaskDescriptorDTO descriptor = TaskJson.descriptor(origin + ": " + taskPath, taskJson);
        byte[] config = require(origin, contents, folder + TaskJson.CONFIG_FILE);
        byte[] weights = require(origin, contents, folder + TaskJson.WEIGHTS_FILE);
        byte[] metrics = contents.get(folder + TaskJson.METRICS_FILE);
        Double f1 = metrics == null ? null : TaskJson.testF1(origin + ": " + folder + TaskJson.METRICS_FILE, metrics);
        String peftType = TaskJson.peftType(origin + ": " + folder + TaskJson.CONFIG_FILE, config);
        Map<String, byte[]> adapter = Map.of(TaskJson.CONFIG_FILE, config, TaskJson.WEIGHTS_FILE, weights);
        String symbolicName = main.getValue("Bundle-SymbolicName");
        String version = main.getValue("Bundle-Version");
        return new VerifiedTask(descriptor, symbolicName == null ? null : symbolicName.split(";")[0].trim(),
                version == null ? "0.0.0" : version.trim(), adapter, peftType, f1, signer,
                DigestList.sha256(headerValue.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static boolean keeps(String name, String taskPath, String folder) {
        if (name.equals(taskPath)) {
            return true;
        }
        if (!name.startsWith(folder)) {
            return false;
        }
        String file = name.substring(folder.length());
        return file.equals(TaskJson.CONFIG_FILE) || file.equals(TaskJson.WEIGHTS_FILE)
                || file.equals(TaskJson.METRICS_FILE);
    }

    /**
     * The content digest of a jar (the SHA-256 of its digest header) without
     * verifying anything; null when it has no digest header.
     */
    static String contentDigest(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            String header = manifest == null ? null : manifest.getMainAttributes().getValue(TaskRegistry.DIGESTS_HEADER);
            return header == null ? null : DigestList.sha256(header.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static byte[] require(String origin, Map<String, byte[]> contents, String name) throws TaskException {
        byte[] bytes = contents.get(name);
        if (bytes == null) {
            throw new TaskException(origin + ": " + name + " is missing");
        }
        return bytes;
    }
}

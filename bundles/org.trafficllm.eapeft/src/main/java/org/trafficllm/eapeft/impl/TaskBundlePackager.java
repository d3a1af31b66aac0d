package org.trafficllm.eapeft.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;

import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskPackager;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.dto.PackageRequestDTO;
import org.trafficllm.api.task.dto.PackagedTaskDTO;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Builds task bundles: checks the descriptor and the adapter, writes
 * {@code task.json}, the adapter files, {@code metrics.json} and a model card into a
 * jar whose manifest marks it as a task bundle, lists every file's SHA-256 and
 * requires the base model's capability; signs it with the JDK's jarsigner API when
 * a key is given. The jar is reproducible: fixed entry times, sorted entries.
 *
 * <p>Also a plain Java program for build tools (see {@link #main(String[])}); with
 * {@code --stage} it writes the bundle's files and a bnd instruction file instead,
 * so that bnd-maven-plugin builds the bundle in a Maven module.
 */
@Component(service = TaskPackager.class)
public class TaskBundlePackager implements TaskPackager {
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);
    static final String STAGE_INSTRUCTIONS = "task-bundle.bnd";
    static final String STAGE_CONTENT = "task-bundle";

    /** What a task bundle will hold: its files and its manifest's main attributes. */
    record Plan(TaskDescriptorDTO task, String symbolicName, String version, String baseFilter,
            Map<String, byte[]> files, Map<String, String> digests, Map<String, String> headers) {
    }

    @Override
    public PackagedTaskDTO pack(PackageRequestDTO request) throws TaskException {
        Plan plan = plan(request);
        Path out = Path.of(request.out != null && !request.out.isBlank() ? request.out
                : plan.symbolicName() + "-" + plan.version() + ".jar");
        String signer = null;
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            // Written beside the target and moved into place, so a watched directory never sees half a jar.
            Path unsigned = parent.resolve("." + out.getFileName() + ".unsigned");
            try {
                writeJar(plan, unsigned);
                if (request.keystore != null && !request.keystore.isBlank()) {
                    Path signed = parent.resolve("." + out.getFileName() + ".signed");
                    try {
                        signer = sign(request, unsigned, signed);
                        Files.move(signed, out, StandardCopyOption.REPLACE_EXISTING);
                    } finally {
                        Files.deleteIfExists(signed);
                    }
                } else {
                    Files.move(unsigned, out, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(unsigned);
            }
        } catch (IOException e) {
            throw new TaskException(out + ": cannot write: " + e.getMessage(), e);
        }
        PackagedTaskDTO dto = new PackagedTaskDTO();
        dto.jar = out.toString();
        dto.symbolicName = plan.symbolicName();
        dto.version = plan.version();
        dto.task = plan.task().id;
        dto.baseModelFilter = plan.baseFilter();
        dto.digests = new TreeMap<>(plan.digests());
        dto.signer = signer;
        return dto;
    }

    /** Reads and checks the inputs and decides the bundle's files and headers. */
    static Plan plan(PackageRequestDTO r) throws TaskException {
        if (r.adapterDirectory == null || r.adapterDirectory.isBlank()) {
            throw new TaskException("package: the adapter directory is missing");
        }
        if (r.taskJson == null || r.taskJson.isBlank()) {
            throw new TaskException("package: the task.json file is missing");
        }
        Path adapter = Path.of(r.adapterDirectory);
        if (!Files.isDirectory(adapter)) {
            throw new TaskException(adapter + ": not a directory");
        }
        byte[] taskJson = read(Path.of(r.taskJson));
        TaskDescriptorDTO task = TaskJson.descriptor(r.taskJson, taskJson);
        byte[] config = read(adapter.resolve(TaskJson.CONFIG_FILE));
        String peftType = TaskJson.peftType(adapter.resolve(TaskJson.CONFIG_FILE).toString(), config);
        byte[] weights = read(adapter.resolve(TaskJson.WEIGHTS_FILE));
        checkSafetensors(adapter.resolve(TaskJson.WEIGHTS_FILE).toString(), weights);

        Path metricsFile = r.metricsJson != null && !r.metricsJson.isBlank() ? Path.of(r.metricsJson)
                : adapter.resolve(TaskJson.METRICS_FILE);
        byte[] metrics = Files.isRegularFile(metricsFile) || r.metricsJson != null ? read(metricsFile) : null;
        Double f1 = metrics == null ? null : TaskJson.testF1(metricsFile.toString(), metrics);

        if (r.baseModel == null || r.baseModel.isBlank()) {
            throw new TaskException("package: name the base model the adapter was trained on (--base <name>)");
        }
        if (r.baseModelVersion == null || r.baseModelVersion.isBlank()) {
            throw new TaskException("package: give the base model's version or version range (--base-version)");
        }
        VersionRange range = baseRange(r.baseModelVersion);
        String baseFilter = "(&(" + BaseModel.CAPABILITY_NAMESPACE + "=" + escapeFilter(r.baseModel.trim()) + ")"
                + range.toFilterString("version") + ")";
        String version = osgiVersion(r.version == null || r.version.isBlank() ? "1.0.0" : r.version);
        String symbolicName = r.symbolicName != null && !r.symbolicName.isBlank() ? r.symbolicName.trim()
                : "org.trafficllm.task." + task.id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_");

        Path cardFile = r.modelCard != null && !r.modelCard.isBlank() ? Path.of(r.modelCard) : cardIn(adapter);
        byte[] card = Files.isRegularFile(cardFile) || r.modelCard != null ? read(cardFile)
                : modelCard(task, version, peftType, config, r.baseModel.trim(), range, f1, metrics)
                        .getBytes(StandardCharsets.UTF_8);

        Map<String, byte[]> files = new TreeMap<>();
        files.put(TaskJson.TASK_FILE, taskJson);
        files.put(TaskJson.CONFIG_FILE, config);
        files.put(TaskJson.WEIGHTS_FILE, weights);
        if (metrics != null) {
            files.put(TaskJson.METRICS_FILE, metrics);
        }
        files.put(TaskJson.MODEL_CARD_FILE, card);
        Map<String, String> digests = new TreeMap<>();
        files.forEach((name, bytes) -> digests.put(name, DigestList.sha256(bytes)));

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", symbolicName);
        headers.put("Bundle-Version", version);
        headers.put("Bundle-Name", task.name + " (task " + task.id + ")");
        headers.put("Bundle-Description", "TrafficLLM task bundle: " + task.kind.word() + " task " + task.id + ", "
                + peftType + " adapter for base model " + r.baseModel.trim() + " " + range);
        headers.put(TaskRegistry.TASK_HEADER, TaskJson.TASK_FILE);
        headers.put(TaskRegistry.DIGESTS_HEADER, DigestList.format(digests));
        Version extender = Version.parseVersion(TaskRegistry.EXTENDER_VERSION);
        headers.put("Require-Capability", BaseModel.CAPABILITY_NAMESPACE + ";filter:=\"" + baseFilter + "\","
                + "osgi.extender;filter:=\"(&(osgi.extender=" + TaskRegistry.EXTENDER + ")"
                + new VersionRange(VersionRange.LEFT_CLOSED, extender, new Version(extender.getMajor() + 1, 0, 0),
                        VersionRange.RIGHT_OPEN).toFilterString("version") + ")\"");
        return new Plan(task, symbolicName, version, baseFilter, files, digests, headers);
    }

    /** Writes the plan's files and a bnd file with its headers, for bnd-maven-plugin. */
    static void stage(Plan plan, Path directory) throws TaskException {
        Path content = directory.resolve(STAGE_CONTENT);
        try {
            if (Files.isDirectory(content)) {
                try (var old = Files.list(content)) {
                    for (Iterator<Path> it = old.iterator(); it.hasNext();) {
                        Files.delete(it.next());
                    }
                }
            }
            Files.createDirectories(content);
            for (Map.Entry<String, byte[]> f : plan.files().entrySet()) {
                Files.write(content.resolve(f.getKey()), f.getValue());
            }
            StringBuilder bnd = new StringBuilder("# Written by the task bundle packager; do not edit.\n");
            for (Map.Entry<String, String> h : plan.headers().entrySet()) {
                // The Maven module names the bundle; the packager adds what makes it a task bundle.
                if (h.getKey().startsWith("TrafficLLM-") || h.getKey().equals("Require-Capability")) {
                    bnd.append(h.getKey()).append(": ").append(h.getValue().replace("\\", "\\\\")).append('\n');
                }
            }
            Files.writeString(directory.resolve(STAGE_INSTRUCTIONS), bnd.toString());
        } catch (IOException e) {
            throw new TaskException(directory + ": cannot stage the task bundle: " + e.getMessage(), e);
        }
    }

    static void writeJar(Plan plan, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        plan.headers().forEach(main::putValue);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            JarEntry meta = new JarEntry("META-INF/");
            meta.setTimeLocal(ENTRY_TIME);
            out.putNextEntry(meta);
            out.closeEntry();
            JarEntry mf = new JarEntry(JarFile.MANIFEST_NAME);
            mf.setTimeLocal(ENTRY_TIME);
            out.putNextEntry(mf);
            manifest.write(out);
            out.closeEntry();
            for (Map.Entry<String, byte[]> f : plan.files().entrySet()) {
                JarEntry e = new JarEntry(f.getKey());
                e.setTimeLocal(ENTRY_TIME);
                out.putNextEntry(e);
                out.write(f.getValue());
                out.closeEntry();
            }
        }
    }

    private static String sign(PackageRequestDTO r, Path unsigned, Path signed) throws TaskException {
        char[] storePassword = r.storePassword == null ? new char[0] : r.storePassword.toCharArray();
        char[] keyPassword = r.keyPassword == null ? storePassword : r.keyPassword.toCharArray();
        try {
            KeyStore store = KeyStore.getInstance(r.storeType == null || r.storeType.isBlank() ? "PKCS12" : r.storeType);
            try (InputStream in = Files.newInputStream(Path.of(r.keystore))) {
                store.load(in, storePassword);
            }
            String alias = r.keyAlias;
            if (alias == null || alias.isBlank()) {
                List<String> keys = new ArrayList<>();
                for (Enumeration<String> a = store.aliases(); a.hasMoreElements();) {
                    String name = a.nextElement();
                    if (store.isKeyEntry(name)) {
                        keys.add(name);
                    }
                }
                if (keys.size() != 1) {
                    throw new TaskException(r.keystore + ": holds " + keys.size() + " keys " + keys
                            + "; name the signing key with --alias");
                }
                alias = keys.get(0);
            }
            if (!store.isKeyEntry(alias)) {
                throw new TaskException(r.keystore + ": no key with alias '" + alias + "'");
            }
            PrivateKey key = (PrivateKey) store.getKey(alias, keyPassword);
            Certificate[] chain = store.getCertificateChain(alias);
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain));
            JarSigning.sign(key, path, unsigned, signed);
            return ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
        } catch (IOException | GeneralSecurityException e) {
            throw new TaskException(r.keystore + ": cannot sign with it: " + e.getMessage(), e);
        } catch (NoClassDefFoundError e) {
            throw new TaskException("signing needs the JDK's jdk.security.jarsigner module, which this runtime lacks", e);
        }
    }

    /** Keeps the jarsigner API out of the packager's other paths, so they run where it is missing. */
    private static final class JarSigning {
        static void sign(PrivateKey key, CertPath path, Path unsigned, Path signed)
                throws IOException, GeneralSecurityException {
            jdk.security.jarsigner.JarSigner signer = new jdk.security.jarsigner.JarSigner.Builder(key, path)
                    .digestAlgorithm("SHA-256").build();
            try (ZipFile in = new ZipFile(unsigned.toFile()); OutputStream out = Files.newOutputStream(signed)) {
                signer.sign(in, out);
            }
        }
    }

    /**
     * Checks that the safetensors header parses and that the tensor data it
     * describes ends exactly at the end of the file, so a truncated file never
     * becomes a bundle.
     */
    static void checkSafetensors(String where, byte[] bytes) throws TaskException {
        if (bytes.length < 8) {
            throw new TaskException(where + ": " + bytes.length + " bytes, too short for a safetensors file");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || 8 + headerLength > bytes.length) {
            throw new TaskException(where + ": header length " + headerLength + " does not fit the file's "
                    + bytes.length + " bytes");
        }
        JsonNode header;
        try {
            header = TaskJson.MAPPER.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TaskException(where + ": header is not JSON: " + TaskJson.firstLine(e.getMessage()), e);
        }
        long end = 0;
        int tensors = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> t = it.next();
            if (t.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode offsets = t.getValue().path("data_offsets");
            if (offsets.size() != 2) {
                throw new TaskException(where + ": tensor " + t.getKey() + " has no data_offsets");
            }
            end = Math.max(end, offsets.get(1).asLong());
            tensors++;
        }
        if (tensors == 0) {
            throw new TaskException(where + ": holds no tensor");
        }
        long expected = 8 + headerLength + end;
        if (expected != bytes.length) {
            throw new TaskException(where + ": the header describes " + expected + " bytes, the file has " + bytes.length);
        }
    }

    private static String modelCard(TaskDescriptorDTO task, String version, String peftType, byte[] config,
            String base, VersionRange range, Double f1, byte[] metrics) {
        StringBuilder card = new StringBuilder();
        card.append("# ").append(task.name).append(" (task ").append(task.id).append(") ").append(version).append("\n\n");
        card.append("A TrafficLLM task bundle: a PEFT adapter over a shared base model, data only.\n\n");
        card.append("| | |\n|---|---|\n");
        card.append("| kind | ").append(task.kind.word()).append(" |\n");
        card.append("| granularity | ").append(task.granularity.word()).append(" |\n");
        card.append("| traffic text | ").append(task.renderer).append(" |\n");
        card.append("| labels | ").append(task.labels.isEmpty() ? "(from the data)" : String.join(", ", task.labels))
                .append(" |\n");
        card.append("| adapter | ").append(peftType).append(adapterShape(config)).append(" |\n");
        card.append("| base model | ").append(base).append(' ').append(range).append(" |\n");
        card.append("| test F1 | ").append(f1 == null ? "not evaluated" : String.format(Locale.ROOT, "%.4f", f1))
                .append(evaluatedOn(metrics)).append(" |\n");
        if (task.templateSource != null && !task.templateSource.isBlank()) {
            card.append("\nPrompt template source: ").append(task.templateSource).append('\n');
        }
        return card.toString();
    }

    private static String adapterShape(byte[] config) {
        try {
            JsonNode c = TaskJson.MAPPER.readTree(config);
            if (c.has("r")) {
                return " (r=" + c.path("r").asInt() + ", alpha=" + c.path("lora_alpha").asText() + ")";
            }
            if (c.has("num_virtual_tokens")) {
                return " (" + c.path("num_virtual_tokens").asInt() + " virtual tokens)";
            }
        } catch (IOException e) {
            // the config was read once already; an odd shape only costs the card a detail
        }
        return "";
    }

    private static String evaluatedOn(byte[] metrics) {
        if (metrics == null) {
            return "";
        }
        try {
            JsonNode run = TaskJson.MAPPER.readTree(metrics).path("run");
            List<String> parts = new ArrayList<>();
            for (String field : List.of("dataset", "split", "masking", "notes")) {
                if (run.path(field).isTextual()) {
                    parts.add(field + ": " + run.path(field).asText());
                }
            }
            return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** A version range, or a version that accepts itself up to the next major version. */
    static VersionRange baseRange(String text) throws TaskException {
        String t = text.trim();
        try {
            if (t.startsWith("[") || t.startsWith("(")) {
                return new VersionRange(t);
            }
            Version floor = Version.parseVersion(osgiVersion(t));
            return new VersionRange(VersionRange.LEFT_CLOSED, floor, new Version(floor.getMajor() + 1, 0, 0),
                    VersionRange.RIGHT_OPEN);
        } catch (IllegalArgumentException e) {
            throw new TaskException("package: base model version '" + text + "' is neither a version nor a range: "
                    + e.getMessage(), e);
        }
    }

    /** An OSGi version from a Maven one: {@code 0.1.0-SNAPSHOT} becomes {@code 0.1.0.SNAPSHOT}. */
    static String osgiVersion(String text) throws TaskException {
        String t = text.trim();
        try {
            return Version.parseVersion(t).toString();
        } catch (IllegalArgumentException notOsgi) {
            int dash = t.indexOf('-');
            String numbers = dash < 0 ? t : t.substring(0, dash);
            String qualifier = dash < 0 ? "" : t.substring(dash + 1).replaceAll("[^A-Za-z0-9_-]", "_");
            String[] parts = numbers.split("\\.");
            try {
                int major = parts.length > 0 ? Integer.parseInt(parts[0]) : 0;
                int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
                int micro = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
                return new Version(major, minor, micro, qualifier).toString();
            } catch (IllegalArgumentException e) {
                throw new TaskException("package: version '" + text + "' is not a version", e);
            }
        }
    }

    private static String escapeFilter(String value) {
        return value.replace("\\", "\\5c").replace("*", "\\2a").replace("(", "\\28").replace(")", "\\29");
    }

    private static byte[] read(Path file) throws TaskException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TaskException(file + ": cannot read: " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()), e);
        }
    }

    /**
     * {@code java -cp <eapeft, api, osgi.core, jackson jars> org.trafficllm.eapeft.impl.TaskBundlePackager
     * <adapterDir> <task.json> --base <name> --base-version <v> [--version <v>] [--out <jar> | --stage <dir>]
     * [--metrics <file>] [--model-card <file>] [--bsn <name>] [--keystore <file> --storepass <pw> [--alias <a>]
     * [--keypass <pw>] [--storetype <t>]]}. Exits 0, or 1 with one line on stderr.
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            PackageRequestDTO request = new PackageRequestDTO();
            String stage = null;
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    positional.add(a);
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new TaskException("package: option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                case "--out" -> request.out = v;
                case "--stage" -> stage = v;
                case "--base" -> request.baseModel = v;
                case "--base-version" -> request.baseModelVersion = v;
                case "--version" -> request.version = v;
                case "--bsn" -> request.symbolicName = v;
                case "--metrics" -> request.metricsJson = v;
                case "--model-card" -> request.modelCard = v;
                case "--keystore" -> request.keystore = v;
                case "--storepass" -> request.storePassword = v;
                case "--storetype" -> request.storeType = v;
                case "--alias" -> request.keyAlias = v;
                case "--keypass" -> request.keyPassword = v;
                default -> throw new TaskException("package: unknown option " + a);
                }
            }
            if (positional.size() != 2) {
                throw new TaskException("package: usage: <adapterDir> <task.json> --base <name> --base-version <version> "
                        + "[--version <v>] [--out <jar> | --stage <dir>] [--metrics <file>] [--model-card <file>] "
                        + "[--keystore <file> --storepass <pw> [--alias <a>]]");
            }
            request.adapterDirectory = positional.get(0);
            request.taskJson = positional.get(1);
            if (stage != null) {
                Plan plan = plan(request);
                stage(plan, Path.of(stage));
                out.println("staged " + plan.symbolicName() + " " + plan.version() + " (task " + plan.task().id + ") in "
                        + stage);
            } else {
                out.println(describe(new TaskBundlePackager().pack(request)));
            }
            return 0;
        } catch (TaskException e) {
            err.println("trafficllm package: " + e.getMessage());
            return 1;
        }
    }

    static String describe(PackagedTaskDTO p) {
        return "wrote " + p.jar + ": " + p.symbolicName + " " + p.version + ", task " + p.task + ", base model "
                + p.baseModelFilter + ", " + p.digests.size() + " files"
                + (p.signer == null ? ", unsigned" : ", signed by " + p.signer);
    }

    /** The adapter directory's card: a hand-written README.md, else the MODEL.md a tuning run wrote beside it. */
    private static Path cardIn(Path adapter) {
        Path readme = adapter.resolve(TaskJson.MODEL_CARD_FILE);
        Path tuning = adapter.resolve(TaskJson.TUNING_CARD_FILE);
        return !Files.isRegularFile(readme) && Files.isRegularFile(tuning) ? tuning : readme;
    }
}

package org.trafficllm.eapeft.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.dto.PackageRequestDTO;
import org.trafficllm.api.task.dto.PackagedTaskDTO;

class TaskBundlePackagerTest {
    @TempDir
    Path dir;

    @Test
    void writesATaskBundleWhoseManifestListsTheFilesDigestsAndTheBaseModel() throws Exception {
        PackageRequestDTO r = TaskJars.request(dir, "MTD", "detection", "2.1.0", "llama-tiny-lora");
        PackagedTaskDTO p = new TaskBundlePackager().pack(r);
        Path adapter = TaskJars.fixtures().resolve("llama-tiny-lora");
        try (JarFile jar = new JarFile(p.jar)) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Bundle-SymbolicName")).isEqualTo("org.trafficllm.task.mtd");
            assertThat(main.getValue("Bundle-Version")).isEqualTo("2.1.0");
            assertThat(main.getValue("TrafficLLM-Task")).isEqualTo("task.json");
            assertThat(main.getValue("Require-Capability")).contains(
                    "trafficllm.basemodel;filter:=\"(&(trafficllm.basemodel=llama-tiny)(&(version>=1.0.0)(!(version>=2.0.0))))\"")
                    .contains("osgi.extender=trafficllm.task");
            assertThat(main.getValue("Bundle-Activator")).isNull();
            Map<String, String> listed = DigestList.parse("x", main.getValue("TrafficLLM-Digests"));
            assertThat(listed).containsOnlyKeys("task.json", "adapter_config.json", "adapter_model.safetensors",
                    "README.md");
            assertThat(listed.get("adapter_model.safetensors"))
                    .isEqualTo(sha256(Files.readAllBytes(adapter.resolve("adapter_model.safetensors"))));
            assertThat(listed.get("task.json")).isEqualTo(sha256(Files.readAllBytes(Path.of(r.taskJson))));
            assertThat(jar.getInputStream(jar.getEntry("adapter_model.safetensors")).readAllBytes())
                    .isEqualTo(Files.readAllBytes(adapter.resolve("adapter_model.safetensors")));
            assertThat(new String(jar.getInputStream(jar.getEntry("README.md")).readAllBytes()))
                    .contains("LORA (r=4, alpha=8)").contains("llama-tiny [1.0.0,2.0.0)").contains("not evaluated");
        }
        assertThat(p.signer).isNull();
        assertThat(p.digests).hasSize(4);
    }

    @Test
    void theCardATuningRunWroteBesideItsAdapterBecomesTheBundlesReadme() throws Exception {
        Path adapter = Files.createDirectories(dir.resolve("tuned"));
        for (String f : List.of("adapter_config.json", "adapter_model.safetensors")) {
            Files.copy(TaskJars.fixtures().resolve("llama-tiny-lora").resolve(f), adapter.resolve(f));
        }
        Files.writeString(adapter.resolve("MODEL.md"), "# MTD adapter\n\ntrained on 8,127 samples\n");
        PackageRequestDTO r = TaskJars.request(dir, "MTD", "detection", "1.0.0", "llama-tiny-lora");
        r.adapterDirectory = adapter.toString();
        try (JarFile jar = new JarFile(new TaskBundlePackager().pack(r).jar)) {
            assertThat(new String(jar.getInputStream(jar.getEntry("README.md")).readAllBytes()))
                    .isEqualTo("# MTD adapter\n\ntrained on 8,127 samples\n");
            assertThat(jar.getEntry("MODEL.md")).isNull();
        }
        // a hand-written README.md beside it is the card instead
        Files.writeString(adapter.resolve("README.md"), "# MTD by hand\n");
        try (JarFile jar = new JarFile(new TaskBundlePackager().pack(r).jar)) {
            assertThat(new String(jar.getInputStream(jar.getEntry("README.md")).readAllBytes()))
                    .isEqualTo("# MTD by hand\n");
        }
    }

    @Test
    void theSameInputsGiveTheSameBytes() throws Exception {
        PackageRequestDTO r = TaskJars.request(dir, "BND", "detection", "1.0.0", "llama-tiny-prefix");
        byte[] first = Files.readAllBytes(Path.of(new TaskBundlePackager().pack(r).jar));
        r.out = dir.resolve("again.jar").toString();
        byte[] second = Files.readAllBytes(Path.of(new TaskBundlePackager().pack(r).jar));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void whatItWritesPassesVerification() throws Exception {
        Path jar = TaskJars.pack(dir, "EVD", "1.2.3", "llama-tiny-prefix");
        VerifiedTask task = TaskBundleVerifier.verify(jar, "evd.jar", SignatureTrust.none());
        assertThat(task.descriptor().id).isEqualTo("EVD");
        assertThat(task.version()).isEqualTo("1.2.3");
        assertThat(task.peftType()).isEqualTo("PREFIX_TUNING");
        assertThat(task.adapterFiles().get("adapter_model.safetensors")).isEqualTo(
                Files.readAllBytes(TaskJars.fixtures().resolve("llama-tiny-prefix/adapter_model.safetensors")));
    }

    @Test
    void refusesATruncatedSafetensorsFile() throws Exception {
        Path adapter = Files.createDirectory(dir.resolve("adapter"));
        Path fixture = TaskJars.fixtures().resolve("llama-tiny-lora");
        Files.copy(fixture.resolve("adapter_config.json"), adapter.resolve("adapter_config.json"));
        byte[] weights = Files.readAllBytes(fixture.resolve("adapter_model.safetensors"));
        Files.write(adapter.resolve("adapter_model.safetensors"), java.util.Arrays.copyOf(weights, weights.length - 100));
        PackageRequestDTO r = TaskJars.request(dir, "MTD", "detection", "1.0.0", "llama-tiny-lora");
        r.adapterDirectory = adapter.toString();
        assertThatThrownBy(() -> new TaskBundlePackager().pack(r)).isInstanceOf(TaskException.class)
                .hasMessage(adapter.resolve("adapter_model.safetensors") + ": the header describes " + weights.length
                        + " bytes, the file has " + (weights.length - 100));
    }

    @Test
    void refusesADescriptorWithoutLabelsOrTrafficPlaceholder() throws Exception {
        PackageRequestDTO r = TaskJars.request(dir, "MTD", "detection", "1.0.0", "llama-tiny-lora");
        Files.writeString(Path.of(r.taskJson), "{\"id\":\"MTD\",\"name\":\"M\",\"kind\":\"detection\","
                + "\"granularity\":\"packet\",\"renderer\":\"traffic-words\",\"labels\":[\"a\"],"
                + "\"promptTemplate\":\"no traffic here\"}");
        assertThatThrownBy(() -> new TaskBundlePackager().pack(r))
                .hasMessage(r.taskJson + ": promptTemplate lacks the placeholder {traffic}");
        Files.writeString(Path.of(r.taskJson), "{\"id\":\"MTD\",\"name\":\"M\",\"kind\":\"DETECTION\","
                + "\"granularity\":\"PACKET\",\"renderer\":\"traffic-words\",\"promptTemplate\":\"{traffic}\"}");
        assertThatThrownBy(() -> new TaskBundlePackager().pack(r))
                .hasMessage(r.taskJson + ": a detection task needs its labels");
    }

    @Test
    void needsTheBaseModelAndAcceptsARange() throws Exception {
        PackageRequestDTO r = TaskJars.request(dir, "MTD", "detection", "1.0.0", "llama-tiny-lora");
        r.baseModel = null;
        assertThatThrownBy(() -> new TaskBundlePackager().pack(r)).hasMessageContaining("--base <name>");
        r.baseModel = "nano";
        r.baseModelVersion = "[2.1,2.5)";
        assertThat(new TaskBundlePackager().pack(r).baseModelFilter)
                .isEqualTo("(&(trafficllm.basemodel=nano)(&(version>=2.1.0)(!(version>=2.5.0))))");
    }

    @Test
    void signsWithTheGivenKeyAndTheSignatureVerifies() throws Exception {
        Path store = TaskJars.keystore(dir, "vendor", "CN=Example Vendor,O=Example", "secret");
        PackageRequestDTO r = TaskJars.request(dir, "MTD", "detection", "1.0.0", "llama-tiny-lora");
        r.keystore = store.toString();
        r.storePassword = "secret";
        PackagedTaskDTO p = new TaskBundlePackager().pack(r);
        assertThat(p.signer).isEqualTo("CN=Example Vendor,O=Example");
        Path trust = TaskJars.truststore(dir, store, "vendor", "secret");
        VerifiedTask task = TaskBundleVerifier.verify(Path.of(p.jar), "mtd.jar",
                SignatureTrust.of(true, trust.toString(), "PKCS12", "secret".toCharArray()));
        assertThat(task.signer()).isEqualTo("CN=Example Vendor,O=Example");
    }

    @Test
    void runsAsAPlainProgramAndStagesForBnd() throws Exception {
        PackageRequestDTO r = TaskJars.request(dir, "BND", "detection", "0.1.0-SNAPSHOT", "llama-tiny-prefix");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TaskBundlePackager.run(new String[] {r.adapterDirectory, r.taskJson, "--base", "llama-tiny",
            "--base-version", "1.0.0", "--version", "0.1.0-SNAPSHOT", "--stage", dir.toString()}, new PrintStream(out),
                new PrintStream(err));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("staged org.trafficllm.task.bnd 0.1.0.SNAPSHOT (task BND)");
        String bnd = Files.readString(dir.resolve("task-bundle.bnd"));
        assertThat(bnd).contains("TrafficLLM-Task: task.json").contains("TrafficLLM-Digests: README.md;sha-256=")
                .contains("Require-Capability: trafficllm.basemodel;").doesNotContain("Bundle-SymbolicName");
        assertThat(dir.resolve("task-bundle/adapter_model.safetensors")).exists();

        int failed = TaskBundlePackager.run(new String[] {r.adapterDirectory, r.taskJson}, new PrintStream(out),
                new PrintStream(err));
        assertThat(failed).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo(
                "trafficllm package: package: name the base model the adapter was trained on (--base <name>)");
    }

    @Test
    void convertsMavenVersions() throws TaskException {
        assertThat(TaskBundlePackager.osgiVersion("0.1.0-SNAPSHOT")).isEqualTo("0.1.0.SNAPSHOT");
        assertThat(TaskBundlePackager.osgiVersion("2.0")).isEqualTo("2.0.0");
        assertThat(TaskBundlePackager.osgiVersion("1.2-rc.1")).isEqualTo("1.2.0.rc_1");
        assertThatThrownBy(() -> TaskBundlePackager.osgiVersion("x.y")).hasMessage("package: version 'x.y' is not a version");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

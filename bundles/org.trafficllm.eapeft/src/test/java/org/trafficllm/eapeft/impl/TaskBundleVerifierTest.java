package org.trafficllm.eapeft.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.dto.PackageRequestDTO;

class TaskBundleVerifierTest {
    @TempDir
    Path dir;
    Path jar;

    @BeforeEach
    void pack() throws Exception {
        jar = TaskJars.pack(dir, "MTD", "1.0.0", "llama-tiny-lora");
    }

    @Test
    void acceptsTheDigestedAdapterAndReadsTheDescriptor() throws Exception {
        VerifiedTask task = TaskBundleVerifier.verify(jar, "mtd.jar", SignatureTrust.none());
        assertThat(task.descriptor().labels).containsExactly("normal", "malware");
        assertThat(task.adapterFiles()).containsOnlyKeys("adapter_config.json", "adapter_model.safetensors");
        assertThat(task.signer()).isNull();
        assertThat(task.testF1()).isNull();
        assertThat(task.contentDigest()).hasSize(64);
    }

    @Test
    void refusesChangedWeightsByTheirDigest() throws Exception {
        Path bad = rewrite(entries -> {
            byte[] w = entries.get("adapter_model.safetensors").clone();
            w[w.length - 1] ^= 1;
            entries.put("adapter_model.safetensors", w);
            return entries;
        });
        assertThatThrownBy(() -> TaskBundleVerifier.verify(bad, "mtd.jar", SignatureTrust.none()))
                .isInstanceOf(TaskException.class)
                .hasMessageStartingWith("mtd.jar: adapter_model.safetensors: SHA-256 is ")
                .hasMessageContaining(", the manifest lists ");
    }

    @Test
    void refusesCodeAndCodeHeaders() throws Exception {
        Path withClass = rewrite(entries -> {
            entries.put("org/example/Payload.class", new byte[] {(byte) 0xca, (byte) 0xfe});
            return entries;
        });
        assertThatThrownBy(() -> TaskBundleVerifier.verify(withClass, "mtd.jar", SignatureTrust.none()))
                .hasMessage("mtd.jar: carries code (org/example/Payload.class); a task bundle carries data only");
        Path withActivator = TaskJars.rewrite(jar, dir.resolve("activator.jar"), UnaryOperator.identity(),
                main -> main.putValue("Bundle-Activator", "org.example.Activator"));
        assertThatThrownBy(() -> TaskBundleVerifier.verify(withActivator, "mtd.jar", SignatureTrust.none()))
                .hasMessage("mtd.jar: carries the header Bundle-Activator; a task bundle carries data only");
        Path withImports = TaskJars.rewrite(jar, dir.resolve("imports.jar"), UnaryOperator.identity(),
                main -> main.putValue("Service-Component", "OSGI-INF/x.xml"));
        assertThatThrownBy(() -> TaskBundleVerifier.verify(withImports, "mtd.jar", SignatureTrust.none()))
                .hasMessageContaining("carries the header Service-Component");
    }

    @Test
    void refusesUnlistedAndMissingFiles() throws Exception {
        Path extra = rewrite(entries -> {
            entries.put("notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
            return entries;
        });
        assertThatThrownBy(() -> TaskBundleVerifier.verify(extra, "mtd.jar", SignatureTrust.none()))
                .hasMessage("mtd.jar: notes.txt is not listed in TrafficLLM-Digests");
        Path missing = rewrite(entries -> {
            entries.put("README.md", null);
            return entries;
        });
        assertThatThrownBy(() -> TaskBundleVerifier.verify(missing, "mtd.jar", SignatureTrust.none()))
                .hasMessage("mtd.jar: listed in TrafficLLM-Digests but missing: README.md");
    }

    @Test
    void aGoodDigestOverTruncatedWeightsPassesHereAndIsLeftToTheModel() throws Exception {
        Path truncated = rewrite(entries -> {
            byte[] w = entries.get("adapter_model.safetensors");
            entries.put("adapter_model.safetensors", Arrays.copyOf(w, w.length / 2));
            return entries;
        });
        Path relisted = relist(truncated);
        VerifiedTask task = TaskBundleVerifier.verify(relisted, "mtd.jar", SignatureTrust.none());
        assertThat(task.adapterFiles().get("adapter_model.safetensors").length)
                .isEqualTo(Files.size(TaskJars.fixtures().resolve("llama-tiny-lora/adapter_model.safetensors")) / 2);
    }

    @Test
    void whenSignaturesAreRequiredRefusesUnsignedForeignAndTamperedJars() throws Exception {
        Path vendorStore = TaskJars.keystore(dir, "vendor", "CN=Vendor", "secret");
        Path otherStore = TaskJars.keystore(dir, "other", "CN=Other", "secret");
        Path trust = TaskJars.truststore(dir, vendorStore, "vendor", "secret");
        SignatureTrust required = SignatureTrust.of(true, trust.toString(), "PKCS12", "secret".toCharArray());

        assertThatThrownBy(() -> TaskBundleVerifier.verify(jar, "mtd.jar", required)).hasMessage(
                "mtd.jar: unsigned (README.md), and this runtime requires task bundles signed by a key trusted in " + trust);

        Path foreign = signed(otherStore, "other");
        assertThatThrownBy(() -> TaskBundleVerifier.verify(foreign, "mtd.jar", required))
                .hasMessage("mtd.jar: signed by CN=Other, which is not trusted by " + trust);

        Path good = signed(vendorStore, "vendor");
        assertThat(TaskBundleVerifier.verify(good, "mtd.jar", required).signer()).isEqualTo("CN=Vendor");

        Path tampered = TaskJars.rewrite(good, dir.resolve("tampered.jar"), entries -> {
            byte[] w = entries.get("adapter_model.safetensors").clone();
            w[100] ^= 1;
            entries.put("adapter_model.safetensors", w);
            return entries;
        }, main -> {
        });
        assertThatThrownBy(() -> TaskBundleVerifier.verify(tampered, "mtd.jar", SignatureTrust.none()))
                .hasMessageStartingWith("mtd.jar: adapter_model.safetensors was changed after signing");

        SignatureTrust broken = SignatureTrust.of(true, dir.resolve("nope.p12").toString(), "PKCS12", new char[0]);
        assertThatThrownBy(() -> TaskBundleVerifier.verify(good, "mtd.jar", broken))
                .hasMessageStartingWith("mtd.jar: refused: cannot read trusted keystore " + dir.resolve("nope.p12"));
    }

    private Path signed(Path store, String alias) throws Exception {
        PackageRequestDTO r = TaskJars.request(dir, "MTD", "detection", "1.0.0", "llama-tiny-lora");
        r.keystore = store.toString();
        r.storePassword = "secret";
        r.keyAlias = alias;
        return Path.of(new TaskBundlePackager().pack(r).jar);
    }

    private Path rewrite(UnaryOperator<Map<String, byte[]>> change) throws Exception {
        return TaskJars.rewrite(jar, dir.resolve("changed-" + System.nanoTime() + ".jar"), change, main -> {
        });
    }

    /** Recomputes the digest header over the jar's current files. */
    private Path relist(Path changed) throws Exception {
        Map<String, String> digests = new java.util.TreeMap<>();
        TaskJars.rewrite(changed, dir.resolve("scan.jar"), entries -> {
            entries.forEach((name, bytes) -> digests.put(name, DigestList.sha256(bytes)));
            return entries;
        }, main -> {
        });
        return TaskJars.rewrite(changed, dir.resolve("relisted.jar"), UnaryOperator.identity(),
                main -> main.putValue("TrafficLLM-Digests", DigestList.format(digests)));
    }
}

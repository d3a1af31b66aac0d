package org.trafficllm.eapeft.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.trafficllm.api.task.dto.FeatureDTO;

/** Feature descriptors over a Maven-layout repository, installed into a real framework. */
class FeatureRepositoryServiceTest {
    @TempDir
    Path dir;
    EmbeddedFramework fw;
    FeatureRepositoryService features;
    Path repository;

    @BeforeEach
    void start() throws Exception {
        fw = new EmbeddedFramework(dir);
        Path descriptors = Files.createDirectories(dir.resolve("features"));
        repository = Files.createDirectories(dir.resolve("repository"));
        bundle("com.example", "com.example.alpha", "1.2.0");
        bundle("com.example", "com.example.beta", "2.0.0-SNAPSHOT");
        Files.writeString(descriptors.resolve("example.json"), """
                {
                  "feature-resource-version": "1.0",
                  "id": "com.example:com.example.feature:osgifeature:1.0.0",
                  "name": "Example",
                  "description": "two bundles",
                  "bundles": [
                    { "id": "com.example:com.example.alpha:1.2.0" },
                    "com.example:com.example.beta:2.0.0-SNAPSHOT"
                  ]
                }
                """);
        Files.writeString(descriptors.resolve("broken.json"), """
                { "feature-resource-version": "1.0", "id": "com.example:com.example.broken:osgifeature:1.0.0",
                  "bundles": [ { "id": "com.example:com.example.gamma:1.0.0" } ] }
                """);
        features = new FeatureRepositoryService(fw.context, descriptors, repository);
    }

    @AfterEach
    void stop() throws Exception {
        fw.close();
    }

    private void bundle(String group, String artifact, String version) throws Exception {
        Path jar = repository.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                .resolve(artifact + "-" + version + ".jar");
        Files.createDirectories(jar.getParent());
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", artifact);
        a.putValue("Bundle-Version", TaskBundlePackager.osgiVersion(version));
        try (OutputStream out = Files.newOutputStream(jar)) {
            new JarOutputStream(out, mf).close();
        }
    }

    @Test
    void listsFeaturesWithWhatTheRepositoryLacks() throws Exception {
        assertThat(features.features()).extracting(f -> f.name).containsExactly("broken", "example");
        FeatureDTO example = features.features().get(1);
        assertThat(example.id).isEqualTo("com.example:com.example.feature:osgifeature:1.0.0");
        assertThat(example.bundles).containsExactly("com.example:com.example.alpha:1.2.0",
                "com.example:com.example.beta:2.0.0-SNAPSHOT");
        assertThat(example.missing).isEmpty();
        assertThat(example.installed).isFalse();
        assertThat(features.features().get(0).missing).containsExactly("com.example:com.example.gamma:1.0.0");
    }

    @Test
    void installsAndStartsTheBundlesOfAFeatureByName() throws Exception {
        FeatureDTO installed = features.install("example");
        assertThat(installed.installed).isTrue();
        assertThat(fw.context.getBundles()).filteredOn(b -> b.getSymbolicName().startsWith("com.example."))
                .extracting(Bundle::getSymbolicName, b -> b.getVersion().toString(), Bundle::getState)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("com.example.alpha", "1.2.0", Bundle.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple("com.example.beta", "2.0.0.SNAPSHOT", Bundle.ACTIVE));
        int count = fw.context.getBundles().length;
        features.install("com.example:com.example.feature:osgifeature:1.0.0");
        assertThat(fw.context.getBundles()).as("installed bundles are not installed twice").hasSize(count);
    }

    @Test
    void refusesUnknownFeaturesAndFeaturesWithMissingBundles() {
        assertThatThrownBy(() -> features.install("nope")).hasMessage("unknown feature 'nope'; features: broken, example");
        assertThatThrownBy(() -> features.install("broken")).hasMessage(
                "feature 'broken': " + repository + " lacks com.example:com.example.gamma:1.0.0");
        assertThat(fw.context.getBundles()).noneMatch(b -> b.getSymbolicName().startsWith("com.example."));
    }
}

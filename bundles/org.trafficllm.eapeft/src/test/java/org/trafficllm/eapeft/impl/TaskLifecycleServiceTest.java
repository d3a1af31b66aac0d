package org.trafficllm.eapeft.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskState;
import org.trafficllm.api.task.dto.PackageRequestDTO;
import org.trafficllm.api.task.dto.TaskDTO;

/** Register, update, rollback and unregister through a real framework, over a base model stand-in. */
class TaskLifecycleServiceTest {
    @TempDir
    Path dir;
    EmbeddedFramework fw;

    @BeforeEach
    void start() throws Exception {
        fw = new EmbeddedFramework(dir);
    }

    @AfterEach
    void stop() throws Exception {
        fw.close();
    }

    private String answeringVersion() throws TaskException {
        return fw.extender.classify("MTD", null, List.of("x")).get(0).version;
    }

    private List<String> installedNames() {
        return Arrays.stream(fw.context.getBundles()).map(Bundle::getSymbolicName).toList();
    }

    @Test
    void registerUpdateRollbackUnregister() throws Exception {
        Path v1 = TaskJars.pack(dir, "MTD", "1.0.0", "llama-tiny-lora");
        Path v2 = TaskJars.pack(dir, "MTD", "2.0.0", "llama-tiny-prefix");
        TaskDTO registered = fw.lifecycle.register(v1.toString());
        assertThat(registered.state).isEqualTo(TaskState.SERVING);
        assertThat(registered.version).isEqualTo("1.0.0");
        assertThatThrownBy(() -> fw.lifecycle.register(v1.toUri().toString()))
                .hasMessageEndingWith(": task 'MTD' is already registered (version 1.0.0, bundle "
                        + registered.bundleId + "); use update");

        assertThat(fw.lifecycle.update("mtd", v2.toString()).version).isEqualTo("2.0.0");
        assertThat(answeringVersion()).isEqualTo("2.0.0");

        TaskDTO back = fw.lifecycle.rollback("MTD");
        assertThat(back.version).isEqualTo("1.0.0");
        assertThat(back.bundleVersion).isEqualTo("1.0.0");
        assertThat(back.keptVersions).containsExactly("1.0.0");
        assertThat(answeringVersion()).isEqualTo("1.0.0");
        assertThatThrownBy(() -> fw.lifecycle.rollback("MTD"))
                .hasMessage("task 'MTD': no earlier version is kept (kept: 1.0.0)");

        TaskDTO gone = fw.lifecycle.unregister("MTD");
        assertThat(gone.id).isEqualTo("MTD");
        assertThat(fw.extender.tasks()).isEmpty();
        assertThat(installedNames()).doesNotContain("org.trafficllm.task.mtd");
    }

    @Test
    void aRefusedUpdatePutsTheServingJarBackAndReports() throws Exception {
        Path v1 = TaskJars.pack(dir, "MTD", "1.0.0", "llama-tiny-lora");
        fw.lifecycle.register(v1.toString());
        Path corrupt = TaskJars.rewrite(TaskJars.pack(dir, "MTD", "2.0.0", "llama-tiny-prefix"),
                dir.resolve("corrupt.jar"), entries -> {
                    byte[] w = entries.get("adapter_model.safetensors");
                    entries.put("adapter_model.safetensors", Arrays.copyOf(w, w.length - 1));
                    return entries;
                }, main -> {
                });
        assertThatThrownBy(() -> fw.lifecycle.update("MTD", corrupt.toString())).isInstanceOf(TaskException.class)
                .hasMessageStartingWith("org.trafficllm.task.mtd 2.0.0: adapter_model.safetensors: SHA-256 is ")
                .hasMessageEndingWith("; MTD 1.0.0 keeps serving");
        TaskDTO d = fw.extender.task("MTD").orElseThrow();
        assertThat(d.bundleVersion).isEqualTo("1.0.0");
        assertThat(d.version).isEqualTo("1.0.0");
        assertThat(d.refusal).contains("SHA-256 is");
        assertThat(fw.model.loaded).as("the jar put back is the serving content: not loaded again").hasSize(1);
        assertThat(answeringVersion()).isEqualTo("1.0.0");

        PackageRequestDTO nano = TaskJars.request(dir, "MTD", "detection", "3.0.0", "llama-tiny-lora");
        nano.baseModel = "nano";
        Path other = Path.of(new TaskBundlePackager().pack(nano).jar);
        assertThatThrownBy(() -> fw.lifecycle.update("MTD", other.toString())).hasMessage(other
                + ": refused: needs base model nano [1.0.0,2.0.0), installed: llama-tiny 1.0.0; MTD 1.0.0 keeps serving");
        assertThat(fw.extender.task("MTD").orElseThrow().bundleVersion).isEqualTo("1.0.0");
        assertThat(answeringVersion()).isEqualTo("1.0.0");

        Path bnd = TaskJars.pack(dir, "BND", "1.0.0", "llama-tiny-lora");
        assertThatThrownBy(() -> fw.lifecycle.update("MTD", bnd.toString()))
                .hasMessage(bnd + ": carries task 'BND', not 'MTD'");
    }

    @Test
    void aRefusedRegisterLeavesNothingInstalled() throws Exception {
        PackageRequestDTO nano = TaskJars.request(dir, "BND", "detection", "1.0.0", "llama-tiny-lora");
        nano.baseModel = "nano";
        Path other = Path.of(new TaskBundlePackager().pack(nano).jar);
        assertThatThrownBy(() -> fw.lifecycle.register(other.toString()))
                .hasMessage(other + ": refused: needs base model nano [1.0.0,2.0.0), installed: llama-tiny 1.0.0");

        Path corrupt = TaskJars.rewrite(TaskJars.pack(dir, "BND", "1.0.0", "llama-tiny-lora"), dir.resolve("c.jar"),
                entries -> {
                    entries.put("task.json", "{}".getBytes());
                    return entries;
                }, main -> {
                });
        assertThatThrownBy(() -> fw.lifecycle.register(corrupt.toString()))
                .hasMessageStartingWith(corrupt + ": task.json: id 'null' must be");
        Path tampered = TaskJars.rewrite(TaskJars.pack(dir, "BND", "1.0.0", "llama-tiny-lora"), dir.resolve("t.jar"),
                entries -> {
                    entries.put("README.md", "changed".getBytes());
                    return entries;
                }, main -> {
                });
        assertThatThrownBy(() -> fw.lifecycle.register(tampered.toString()))
                .hasMessageStartingWith("org.trafficllm.task.bnd 1.0.0: README.md: SHA-256 is ");
        assertThat(installedNames()).doesNotContain("org.trafficllm.task.bnd");
        assertThat(fw.extender.tasks()).isEmpty();

        assertThatThrownBy(() -> fw.lifecycle.register(dir.resolve("missing.jar").toString()))
                .hasMessage(dir.resolve("missing.jar") + ": no such file");
        assertThatThrownBy(() -> fw.lifecycle.update("XYZ", "x.jar")).hasMessage("unknown task 'XYZ'; installed: none");
    }
}

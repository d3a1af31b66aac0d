package org.trafficllm.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.task.TaskPackager;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.TaskState;
import org.trafficllm.api.task.dto.TaskDTO;

/**
 * FileInstall's deploy directory (set by {@code felix.fileinstall.dir} in
 * itest.bndrun): dropping a task bundle registers the task, replacing the file
 * updates it, deleting it unregisters it; a bundle for another base model dropped
 * there is listed as refused and disturbs nothing.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class TaskDeployDirectoryTest {
    private static final String TRAFFIC = "ip.src: 192.168.1.7, tcp.dstport: 6667";

    @InjectService(timeout = 120_000)
    BaseModel model;

    @InjectService(timeout = 30_000)
    TaskRegistry registry;

    @InjectService(timeout = 30_000)
    TaskPackager packager;

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path dir;

    private Optional<TaskDTO> task(String id) {
        return registry.task(id);
    }

    private boolean serving(String id, String version) {
        return task(id).map(d -> d.state == TaskState.SERVING && d.version.equals(version)).orElse(false);
    }

    /** Moves a finished jar into place, so FileInstall never sees half a file. */
    private static void drop(Path jar, Path target) throws Exception {
        Path staged = jar.resolveSibling(jar.getFileName() + ".staged");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void dropReplaceAndDeleteRegisterUpdateAndUnregister() throws Exception {
        Path deploy = Path.of(TaskFixtures.property("felix.fileinstall.dir"));
        Files.createDirectories(deploy);
        Path v1 = TaskFixtures.pack(packager, dir, "DROP", "detection", "1.0.0", "llama-tiny-lora", "llama-tiny");
        Path v2 = TaskFixtures.pack(packager, dir, "DROP", "detection", "2.0.0", "llama-tiny-prefix", "llama-tiny");
        Path deployed = deploy.resolve("drop-task.jar");

        drop(v1, deployed);
        assertThat(TaskFixtures.eventually(30, () -> serving("DROP", "1.0.0"))).as("registered by the drop").isTrue();
        assertThat(registry.classify("DROP", null, List.of(TRAFFIC)).get(0).version).isEqualTo("1.0.0");

        drop(v2, deployed);
        assertThat(TaskFixtures.eventually(30, () -> serving("DROP", "2.0.0"))).as("updated by the replace").isTrue();
        assertThat(registry.classify("DROP", null, List.of(TRAFFIC)).get(0).version).isEqualTo("2.0.0");
        assertThat(task("DROP").orElseThrow().keptVersions).containsExactly("1.0.0", "2.0.0");

        Path foreign = TaskFixtures.pack(packager, dir, "ALIEN", "detection", "1.0.0", "llama-tiny-lora", "nano");
        Path alien = deploy.resolve("alien-task.jar");
        drop(foreign, alien);
        assertThat(TaskFixtures.eventually(30, () -> task("ALIEN").map(d -> d.state == TaskState.REFUSED).orElse(false)))
                .isTrue();
        assertThat(task("ALIEN").orElseThrow().refusal)
                .isEqualTo("org.trafficllm.task.alien 1.0.0: needs base model nano [1.0.0,2.0.0), installed: llama-tiny 1.0.0");
        assertThat(registry.classify("DROP", null, List.of(TRAFFIC)).get(0).version).isEqualTo("2.0.0");

        Files.delete(alien);
        Files.delete(deployed);
        assertThat(TaskFixtures.eventually(30, () -> task("DROP").isEmpty() && task("ALIEN").isEmpty()))
                .as("unregistered by the delete").isTrue();
        assertThat(context.getBundles()).noneMatch(b -> "org.trafficllm.task.drop".equals(b.getSymbolicName()));
    }
}

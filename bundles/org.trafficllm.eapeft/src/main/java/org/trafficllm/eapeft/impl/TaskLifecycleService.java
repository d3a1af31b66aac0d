package org.trafficllm.eapeft.impl;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskLifecycle;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.TaskState;
import org.trafficllm.api.task.dto.TaskDTO;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;

/**
 * Register, update, rollback and unregister as bundle operations: install + start,
 * {@code Bundle.update}, update back to the kept jar of the previous version, and
 * uninstall. Each waits for the extender to report the new revision serving or
 * refused. A register that fails leaves nothing installed; an update or rollback
 * that fails puts the serving version's jar back into the bundle, so the bundle and
 * the version answering agree again, and reports why.
 */
@Component(service = TaskLifecycle.class)
@Designate(ocd = TaskLifecycleService.Config.class)
public class TaskLifecycleService implements TaskLifecycle {
    static final String LOCATION_PREFIX = "trafficllm:task:";

    @ObjectClassDefinition(name = "TrafficLLM task lifecycle")
    public @interface Config {
        @AttributeDefinition(description = "Seconds a register, update or rollback waits for the new version to load")
        int loadTimeoutSeconds() default 120;
    }

    private final TaskExtender extender;
    private final BundleContext context;
    private final int timeoutSeconds;

    @Activate
    public TaskLifecycleService(@Reference TaskExtender extender, BundleContext context, Config config) {
        this.extender = extender;
        this.context = context;
        this.timeoutSeconds = Math.max(1, config.loadTimeoutSeconds());
    }

    /** The task a jar carries, read without verifying anything else. */
    record Peek(TaskDescriptorDTO task, String symbolicName, String version) {
    }

    @Override
    public TaskDTO register(String source) throws TaskException {
        Path jar = fetch(source);
        try {
            Peek peek = peek(jar, source);
            var existing = extender.slot(peek.task().id);
            if (existing.isPresent()) {
                TaskDTO d = extender.describe(existing.get());
                throw new TaskException(source + ": task '" + d.id + "' is already registered (version " + d.version
                        + ", bundle " + d.bundleId + "); use update");
            }
            Bundle bundle;
            try (InputStream in = Files.newInputStream(jar)) {
                bundle = context.installBundle(LOCATION_PREFIX + peek.task().id + ":" + source, in);
            } catch (BundleException | IOException e) {
                throw new TaskException(source + ": cannot install: " + TaskJson.firstLine(e.getMessage()), e);
            }
            try {
                bundle.start();
            } catch (BundleException e) {
                String why = reason(bundle, e);
                uninstallQuietly(bundle);
                throw new TaskException(source + ": refused: " + why);
            }
            TaskDTO d = await(bundle);
            if (d.state == TaskState.REFUSED) {
                uninstallQuietly(bundle);
                throw new TaskException(d.refusal);
            }
            return d;
        } finally {
            deleteQuietly(jar);
        }
    }

    @Override
    public TaskDTO update(String task, String source) throws TaskException {
        TaskSlot slot = slotOf(task);
        Path jar = fetch(source);
        try {
            TaskDTO before = extender.describe(slot);
            Peek peek = peek(jar, source);
            if (!peek.task().id.equalsIgnoreCase(before.id)) {
                throw new TaskException(source + ": carries task '" + peek.task().id + "', not '" + before.id + "'");
            }
            String servingDigest = servingDigest(slot);
            try (InputStream in = Files.newInputStream(jar)) {
                slot.bundle.update(in);
            } catch (BundleException | IOException e) {
                String why = reason(slot.bundle, e);
                restore(slot, before.id, servingDigest);
                throw new TaskException(source + ": refused: " + why + keepsServing(slot));
            }
            TaskDTO after = await(slot.bundle);
            if (!extender.servesCurrentRevision(slot)) {
                if (after.state == TaskState.LOADING || after.state == TaskState.UPDATING
                        || after.state == TaskState.WAITING) {
                    return after;
                }
                String why = after.refusal != null ? after.refusal : "not serving (" + after.state.word() + ")";
                restore(slot, before.id, servingDigest);
                throw new TaskException(why + keepsServing(slot));
            }
            return after;
        } finally {
            deleteQuietly(jar);
        }
    }

    @Override
    public TaskDTO rollback(String task) throws TaskException {
        TaskSlot slot = slotOf(task);
        TaskDTO now = extender.describe(slot);
        String servingDigest = servingDigest(slot);
        boolean bundleServes = extender.servesCurrentRevision(slot);
        KeptVersions kept = extender.kept();
        KeptVersions.Kept target = kept.rollbackTarget(now.id, servingDigest, bundleServes)
                .orElseThrow(() -> new TaskException("task '" + now.id + "': no earlier version is kept (kept: "
                        + (now.keptVersions.isEmpty() ? "none" : String.join(", ", now.keptVersions)) + ")"));
        List<Path> aside;
        try {
            aside = bundleServes ? kept.setAside(now.id, target) : List.of();
        } catch (IOException e) {
            throw new TaskException("task '" + now.id + "': cannot set the newer kept versions aside: " + e.getMessage(), e);
        }
        try {
            try (InputStream in = Files.newInputStream(target.jar())) {
                slot.bundle.update(in);
            } catch (BundleException | IOException e) {
                throw new TaskException("task '" + now.id + "': rollback to " + target.version() + " refused: "
                        + reason(slot.bundle, e) + keepsServing(slot));
            }
            TaskDTO after = await(slot.bundle);
            if (!extender.servesCurrentRevision(slot)) {
                throw new TaskException("task '" + now.id + "': rollback to " + target.version() + " refused: "
                        + after.refusal + keepsServing(slot));
            }
            kept.discard(aside);
            aside = List.of();
            return extender.describe(slot);
        } catch (IOException e) {
            throw new TaskException("task '" + now.id + "': " + e.getMessage(), e);
        } finally {
            try {
                kept.restore(aside);
            } catch (IOException e) {
                // the versions set aside stay as .aside files; listing ignores them
            }
        }
    }

    @Override
    public TaskDTO unregister(String task) throws TaskException {
        TaskSlot slot = slotOf(task);
        TaskDTO before = extender.describe(slot);
        Bundle bundle = slot.bundle;
        Path deployed = deployedFile(bundle);
        try {
            if (deployed != null) {
                // FileInstall would install it again from the deploy directory: remove it there.
                Files.deleteIfExists(deployed);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                while (bundle.getState() != Bundle.UNINSTALLED && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
            if (bundle.getState() != Bundle.UNINSTALLED) {
                bundle.uninstall();
            }
        } catch (BundleException | IOException e) {
            throw new TaskException("task '" + before.id + "': cannot uninstall bundle " + bundle.getBundleId() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskException("task '" + before.id + "': interrupted while removing " + deployed, e);
        }
        before.state = TaskState.STOPPED;
        return before;
    }

    private TaskSlot slotOf(String task) throws TaskException {
        return extender.slot(task).orElseThrow(() -> {
            List<String> ids = new ArrayList<>();
            extender.tasks().forEach(d -> ids.add(d.id));
            return new TaskException("unknown task '" + task + "'; installed: "
                    + (ids.isEmpty() ? "none" : String.join(", ", ids)));
        });
    }

    private static String servingDigest(TaskSlot slot) {
        ServingVersion v = slot.serving;
        return v == null ? null : v.task.contentDigest();
    }

    private String keepsServing(TaskSlot slot) {
        ServingVersion v = slot.serving;
        return v == null ? "" : "; " + v.descriptor.id + " " + v.version + " keeps serving";
    }

    /** Puts the serving version's kept jar back into the bundle, so that what is installed is what serves. */
    private void restore(TaskSlot slot, String task, String servingDigest) {
        if (servingDigest == null) {
            return;
        }
        var keptJar = extender.kept().serving(task, servingDigest);
        if (keptJar.isEmpty()) {
            return;
        }
        try (InputStream in = Files.newInputStream(keptJar.get().jar())) {
            slot.bundle.update(in);
            await(slot.bundle);
        } catch (BundleException | IOException | TaskException e) {
            // the serving version answers from memory whatever the bundle holds
        }
    }

    private TaskDTO await(Bundle bundle) throws TaskException {
        try {
            TaskDTO d = extender.outcome(bundle).get(timeoutSeconds, TimeUnit.SECONDS);
            return d != null ? d : extender.slot(bundle).map(extender::describe)
                    .orElseThrow(() -> new TaskException("bundle " + bundle.getBundleId() + " is not a task bundle"));
        } catch (TimeoutException e) {
            return extender.slot(bundle).map(extender::describe).orElseThrow(
                    () -> new TaskException("bundle " + bundle.getBundleId() + " did not load in " + timeoutSeconds + " s"));
        } catch (ExecutionException e) {
            throw new TaskException("bundle " + bundle.getBundleId() + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskException("interrupted while waiting for bundle " + bundle.getBundleId(), e);
        }
    }

    /** Why a bundle operation failed: the missing base model when it does not resolve, else the framework's words. */
    private String reason(Bundle bundle, Exception e) {
        if (bundle.getState() == Bundle.INSTALLED) {
            String why = BaseModelRequirement.unresolved(context, bundle);
            if (why != null) {
                return why;
            }
        }
        return TaskJson.firstLine(e.getMessage());
    }

    private Path deployedFile(Bundle bundle) {
        String dir = context.getProperty("felix.fileinstall.dir");
        String location = bundle.getLocation();
        if (dir == null || location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path file = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return file.startsWith(Path.of(dir).toAbsolutePath().normalize()) ? file : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void uninstallQuietly(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            // already gone
        }
    }

    /** Copies a jar named by a path or URL to a temporary file. */
    static Path fetch(String source) throws TaskException {
        if (source == null || source.isBlank()) {
            throw new TaskException("no jar given");
        }
        Path copy;
        try {
            copy = Files.createTempFile("trafficllm-task-", ".jar");
        } catch (IOException e) {
            throw new TaskException("cannot create a temporary file: " + e.getMessage(), e);
        }
        try {
            if (source.matches("[A-Za-z][A-Za-z0-9+.-]+:.*") && !source.matches("[A-Za-z]:\\\\.*")) {
                try (InputStream in = new URL(source).openStream()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                Files.copy(Path.of(source), copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (NoSuchFileException e) {
            deleteQuietly(copy);
            throw new TaskException(source + ": no such file", e);
        } catch (IOException | IllegalArgumentException e) {
            deleteQuietly(copy);
            throw new TaskException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    static Peek peek(Path jar, String source) throws TaskException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            var manifest = file.getManifest();
            String taskPath = manifest == null ? null : manifest.getMainAttributes().getValue(TaskRegistry.TASK_HEADER);
            if (taskPath == null) {
                throw new TaskException(source + ": not a task bundle (no " + TaskRegistry.TASK_HEADER + " header)");
            }
            ZipEntry entry = file.getEntry(taskPath.trim().replaceAll("^/+", ""));
            if (entry == null) {
                throw new TaskException(source + ": " + taskPath.trim() + " is missing");
            }
            byte[] json;
            try (InputStream in = file.getInputStream(entry)) {
                json = in.readAllBytes();
            }
            var main = manifest.getMainAttributes();
            return new Peek(TaskJson.descriptor(source + ": " + taskPath.trim(), json),
                    main.getValue("Bundle-SymbolicName"), main.getValue("Bundle-Version"));
        } catch (IOException e) {
            throw new TaskException(source + ": not a readable jar: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file; the OS cleans its temp directory
        }
    }
}

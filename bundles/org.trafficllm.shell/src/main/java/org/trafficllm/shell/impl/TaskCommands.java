package org.trafficllm.shell.impl;

import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskLifecycle;
import org.trafficllm.api.task.TaskPackager;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.dto.PackageRequestDTO;
import org.trafficllm.api.task.dto.PackagedTaskDTO;
import org.trafficllm.api.task.dto.TaskDTO;

/**
 * {@code tllm:tasks}, {@code register}, {@code update}, {@code rollback},
 * {@code unregister} and {@code package}: the task bundles of this runtime and their
 * lifecycle.
 */
@Component(service = TaskCommands.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=tasks",
        "osgi.command.function=register",
        "osgi.command.function=update",
        "osgi.command.function=rollback",
        "osgi.command.function=unregister",
        "osgi.command.function=package" })
public class TaskCommands {
    private static final int LABELS_WIDTH = 60;

    private final TaskRegistry registry;
    private final TaskLifecycle lifecycle;
    private final TaskPackager packager;

    @Activate
    public TaskCommands(@Reference TaskRegistry registry, @Reference TaskLifecycle lifecycle,
            @Reference TaskPackager packager) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.packager = packager;
    }

    @Descriptor("list the installed tasks: id, version, kind, base model, test F1, state, labels")
    public String tasks() {
        TextTable table = new TextTable("ID", "VERSION", "KIND", "BASE MODEL", "TEST F1", "STATE", "LABELS");
        StringBuilder notes = new StringBuilder();
        for (TaskDTO d : registry.tasks()) {
            table.row(d.id, d.version, d.kind == null ? null : d.kind.word(),
                    d.baseModel == null ? null : d.baseModel + (d.baseModelVersion == null ? "" : " " + d.baseModelVersion),
                    d.testF1 == null ? null : String.format(Locale.ROOT, "%.3f", d.testF1), d.state.word(),
                    labels(d));
            if (d.refusal != null) {
                notes.append("  ").append(d.id).append(": ").append(d.refusal).append('\n');
            }
        }
        if (table.size() == 0) {
            return "no task bundle is installed";
        }
        StringBuilder out = new StringBuilder(table.toString()).append('\n');
        if (notes.length() > 0) {
            out.append("refused:\n").append(notes);
        }
        return out.toString().stripTrailing();
    }

    @Descriptor("install and start a task bundle; returns when it serves or was refused")
    public String register(@Descriptor("jar file path or URL of the task bundle") String source) throws TaskException {
        return "registered " + line(lifecycle.register(source));
    }

    @Descriptor("replace a task's bundle with a new jar while it keeps answering")
    public String update(@Descriptor("task id or name") String task,
            @Descriptor("jar file path or URL of the new version") String source) throws TaskException {
        return "updated " + line(lifecycle.update(task, source));
    }

    @Descriptor("return a task to the version that served before the current one")
    public String rollback(@Descriptor("task id or name") String task) throws TaskException {
        return "rolled back " + line(lifecycle.rollback(task));
    }

    @Descriptor("uninstall a task's bundle; requests already running finish")
    public String unregister(@Descriptor("task id or name") String task) throws TaskException {
        TaskDTO d = lifecycle.unregister(task);
        return "unregistered " + d.id + " " + d.version + " (bundle " + d.bundleId + ")";
    }

    @Descriptor("package a trained adapter directory and its task.json into a task bundle jar")
    public String _package(
            @Descriptor("name of the base model") @Parameter(names = "--base", absentValue = "") String base,
            @Descriptor("base model version or version range") @Parameter(names = "--base-version", absentValue = "")
            String baseVersion,
            @Descriptor("bundle version") @Parameter(names = "--version", absentValue = "1.0.0") String version,
            @Descriptor("jar to write") @Parameter(names = "--out", absentValue = "") String out,
            @Descriptor("bundle symbolic name") @Parameter(names = "--bsn", absentValue = "") String symbolicName,
            @Descriptor("metrics.json to include") @Parameter(names = "--metrics", absentValue = "") String metrics,
            @Descriptor("model card to include") @Parameter(names = "--model-card", absentValue = "") String modelCard,
            @Descriptor("keystore with the signing key") @Parameter(names = "--keystore", absentValue = "")
            String keystore,
            @Descriptor("keystore password") @Parameter(names = "--storepass", absentValue = "") String storePassword,
            @Descriptor("keystore type") @Parameter(names = "--storetype", absentValue = "") String storeType,
            @Descriptor("alias of the signing key") @Parameter(names = "--alias", absentValue = "") String alias,
            @Descriptor("key password") @Parameter(names = "--keypass", absentValue = "") String keyPassword,
            @Descriptor("adapter directory (adapter_config.json, adapter_model.safetensors, metrics.json, README.md)")
            String adapterDirectory,
            @Descriptor("task.json (the task descriptor)") String taskJson)
            throws TaskException {
        PackageRequestDTO r = new PackageRequestDTO();
        r.adapterDirectory = adapterDirectory;
        r.taskJson = taskJson;
        r.baseModel = blankToNull(base);
        r.baseModelVersion = blankToNull(baseVersion);
        r.version = version;
        r.out = blankToNull(out);
        r.symbolicName = blankToNull(symbolicName);
        r.metricsJson = blankToNull(metrics);
        r.modelCard = blankToNull(modelCard);
        r.keystore = blankToNull(keystore);
        r.storePassword = blankToNull(storePassword);
        r.storeType = blankToNull(storeType);
        r.keyAlias = blankToNull(alias);
        r.keyPassword = blankToNull(keyPassword);
        PackagedTaskDTO p = packager.pack(r);
        return "wrote " + p.jar + ": " + p.symbolicName + " " + p.version + ", task " + p.task + ", "
                + p.digests.size() + " files, " + (p.signer == null ? "unsigned" : "signed by " + p.signer);
    }

    static String line(TaskDTO d) {
        StringBuilder s = new StringBuilder(d.id).append(' ').append(d.version).append(" (")
                .append(d.kind == null ? "?" : d.kind.word());
        if (d.peftType != null) {
            s.append(", ").append(d.peftType).append(" over ").append(d.baseModel).append(' ').append(d.baseModelVersion);
        }
        s.append("): ").append(d.state.word());
        if (d.refusal != null) {
            s.append("; ").append(d.refusal);
        }
        return s.toString();
    }

    private static String labels(TaskDTO d) {
        if (d.labels == null || d.labels.isEmpty()) {
            return null;
        }
        String all = String.join(", ", d.labels);
        return all.length() <= LABELS_WIDTH ? all
                : all.substring(0, LABELS_WIDTH - 3) + "... (" + d.labels.size() + ")";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

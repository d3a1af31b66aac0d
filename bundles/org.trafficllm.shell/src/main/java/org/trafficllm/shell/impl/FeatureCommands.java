package org.trafficllm.shell.impl;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.task.FeatureRepository;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.dto.FeatureDTO;

/** {@code tllm:features} and {@code tllm:feature}: the feature descriptors the runtime ships. */
@Component(service = FeatureCommands.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=features",
        "osgi.command.function=feature" })
public class FeatureCommands {
    private final FeatureRepository features;

    @Activate
    public FeatureCommands(@Reference FeatureRepository features) {
        this.features = features;
    }

    @Descriptor("list the features (groups of bundles) and whether they are installed")
    public String features() throws TaskException {
        TextTable table = new TextTable("NAME", "INSTALLED", "BUNDLES", "MISSING", "DESCRIPTION");
        for (FeatureDTO f : features.features()) {
            table.row(f.name, f.installed ? "yes" : "no", f.bundles.size(),
                    f.missing.isEmpty() ? null : String.join(", ", f.missing), f.description);
        }
        return table.size() == 0 ? "no feature is shipped" : table.toString();
    }

    @Descriptor("install and start the bundles of a feature that are not installed yet")
    public String feature(@Descriptor("feature name (e.g. task-mtd) or id") String name) throws TaskException {
        FeatureDTO f = features.install(name);
        return "feature " + f.name + " (" + f.id + "): " + f.bundles.size() + " bundles, "
                + (f.installed ? "installed" : "not all installed");
    }
}

package org.trafficllm.model.impl;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;

/**
 * What a base-model bundle declares: its name, version and architecture (from the
 * {@code trafficllm.basemodel} capability, else the bundle's own name and version)
 * and the folder named by the {@code TrafficLLM-BaseModel} header, whose files are
 * copied out of the jar so the weights can be memory-mapped.
 */
record BaseModelBundle(String name, String version, String arch, String folder) {

    /** Null when the bundle carries no base model. */
    static BaseModelBundle of(Bundle bundle) {
        String folder = bundle.getHeaders("").get(BaseModel.BUNDLE_HEADER);
        if (folder == null) {
            return null;
        }
        String name = bundle.getSymbolicName();
        String version = bundle.getVersion().toString();
        String arch = null;
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        List<BundleCapability> caps = revision == null ? List.of()
                : revision.getDeclaredCapabilities(BaseModel.CAPABILITY_NAMESPACE);
        if (!caps.isEmpty()) {
            Map<String, Object> attrs = caps.get(0).getAttributes();
            name = String.valueOf(attrs.getOrDefault(BaseModel.CAPABILITY_NAMESPACE, name));
            Object v = attrs.get("version");
            version = v instanceof Version ver ? ver.toString() : v != null ? v.toString() : version;
            arch = attrs.get("arch") == null ? null : attrs.get("arch").toString();
        }
        return new BaseModelBundle(name, version, arch, folder.trim());
    }

    /** Copies the model folder's files from the bundle into {@code target} (replacing what was there). */
    void extract(Bundle bundle, Path target) throws ModelException {
        String base = folder.replaceAll("^/+|/+$", "");
        Enumeration<URL> entries = bundle.findEntries(base.isEmpty() ? "/" : base, "*", false);
        if (entries == null) {
            throw new ModelException(bundle.getSymbolicName() + ": " + BaseModel.BUNDLE_HEADER + " folder '" + folder
                    + "' has no files");
        }
        try {
            Files.createDirectories(target);
            while (entries.hasMoreElements()) {
                URL url = entries.nextElement();
                String path = url.getPath();
                if (path.endsWith("/")) {
                    continue;
                }
                String file = path.substring(path.lastIndexOf('/') + 1);
                try (InputStream in = url.openStream()) {
                    Files.copy(in, target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new ModelException(bundle.getSymbolicName() + ": cannot copy model folder '" + folder + "' to "
                    + target + ": " + e.getMessage(), e);
        }
    }
}

package org.trafficllm.eapeft.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.task.FeatureRepository;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.dto.FeatureDTO;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Features in the OSGi Feature Model's JSON format (one {@code <name>.json} per
 * feature in the features directory) over a bundle repository in Maven's layout
 * ({@code group/path/artifact/version/artifact-version.jar}). The directories come
 * from the framework properties {@value #FEATURES_PROPERTY} and
 * {@value #REPOSITORY_PROPERTY}; the launcher points them at the ones the runtime
 * ships. A bundle counts as installed when a bundle with the jar's symbolic name and
 * version is.
 */
@Component(service = FeatureRepository.class)
public class FeatureRepositoryService implements FeatureRepository {
    static final String FEATURES_PROPERTY = "trafficllm.features";
    static final String REPOSITORY_PROPERTY = "trafficllm.repository";

    private final BundleContext context;
    private final Path features;
    private final Path repository;

    @Activate
    public FeatureRepositoryService(BundleContext context) {
        this(context, path(context.getProperty(FEATURES_PROPERTY)), path(context.getProperty(REPOSITORY_PROPERTY)));
    }

    FeatureRepositoryService(BundleContext context, Path features, Path repository) {
        this.context = context;
        this.features = features;
        this.repository = repository;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    /** One feature file read. */
    private record Feature(Path file, FeatureDTO dto, List<Path> jars) {
    }

    @Override
    public List<FeatureDTO> features() throws TaskException {
        List<FeatureDTO> list = new ArrayList<>();
        for (Path file : files()) {
            list.add(read(file).dto());
        }
        return list;
    }

    @Override
    public FeatureDTO install(String name) throws TaskException {
        Feature feature = null;
        List<String> names = new ArrayList<>();
        for (Path file : files()) {
            Feature f = read(file);
            names.add(f.dto().name);
            if (f.dto().name.equalsIgnoreCase(name) || f.dto().id.equalsIgnoreCase(name)) {
                feature = f;
            }
        }
        if (feature == null) {
            throw new TaskException("unknown feature '" + name + "'; features: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        if (!feature.dto().missing.isEmpty()) {
            throw new TaskException("feature '" + feature.dto().name + "': " + repository + " lacks "
                    + String.join(", ", feature.dto().missing));
        }
        List<Bundle> installed = new ArrayList<>();
        try {
            for (Path jar : feature.jars()) {
                if (findInstalled(jar) == null) {
                    try (InputStream in = Files.newInputStream(jar)) {
                        installed.add(context.installBundle(jar.toUri().toString(), in));
                    }
                }
            }
            for (Bundle b : installed) {
                if (b.getHeaders("").get("Fragment-Host") == null) {
                    b.start();
                }
            }
        } catch (BundleException | IOException e) {
            for (Bundle b : installed) {
                try {
                    b.uninstall();
                } catch (BundleException | IllegalStateException gone) {
                    // nothing left to undo
                }
            }
            throw new TaskException("feature '" + feature.dto().name + "': " + TaskJson.firstLine(e.getMessage())
                    + "; nothing of it was kept", e);
        }
        return read(feature.file()).dto();
    }

    private List<Path> files() throws TaskException {
        if (features == null) {
            throw new TaskException("no features directory: set the framework property " + FEATURES_PROPERTY);
        }
        if (!Files.isDirectory(features)) {
            throw new TaskException(features + ": features directory not found");
        }
        try (Stream<Path> s = Files.list(features)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new TaskException(features + ": cannot list: " + e.getMessage(), e);
        }
    }

    private Feature read(Path file) throws TaskException {
        JsonNode root;
        try {
            root = TaskJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new TaskException(file + ": not JSON: " + TaskJson.firstLine(e.getMessage()), e);
        }
        if (!root.path("feature-resource-version").isTextual()) {
            throw new TaskException(file + ": not a feature (no feature-resource-version)");
        }
        FeatureDTO dto = new FeatureDTO();
        String fileName = file.getFileName().toString();
        dto.name = fileName.substring(0, fileName.length() - ".json".length());
        dto.id = root.path("id").asText(null);
        if (dto.id == null || dto.id.split(":").length < 3) {
            throw new TaskException(file + ": id must be Maven coordinates group:artifact[:type[:classifier]]:version");
        }
        dto.title = root.path("name").asText(null);
        dto.description = root.path("description").asText(null);
        dto.bundles = new ArrayList<>();
        dto.missing = new ArrayList<>();
        List<Path> jars = new ArrayList<>();
        boolean all = true;
        for (JsonNode b : root.path("bundles")) {
            String id = b.isTextual() ? b.asText() : b.path("id").asText(null);
            if (id == null) {
                throw new TaskException(file + ": a bundle entry has no id");
            }
            dto.bundles.add(id);
            Path jar = jar(file, id);
            if (jar == null || !Files.isRegularFile(jar)) {
                dto.missing.add(id);
                all = false;
            } else {
                jars.add(jar);
                all &= findInstalled(jar) != null;
            }
        }
        dto.installed = all;
        return new Feature(file, dto, jars);
    }

    /** Where the repository keeps the jar of {@code group:artifact[:type[:classifier]]:version}. */
    private Path jar(Path file, String id) throws TaskException {
        String[] p = id.split(":");
        if (p.length < 3 || p.length > 5) {
            throw new TaskException(file + ": bundle id '" + id + "' is not group:artifact[:type[:classifier]]:version");
        }
        if (repository == null) {
            return null;
        }
        String group = p[0];
        String artifact = p[1];
        String version = p[p.length - 1];
        String type = p.length >= 4 ? p[2] : "jar";
        String classifier = p.length == 5 ? "-" + p[3] : "";
        return repository.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                .resolve(artifact + "-" + version + classifier + "." + type);
    }

    /** The installed bundle with the jar's symbolic name and version, or null. */
    private Bundle findInstalled(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Attributes main = file.getManifest() == null ? null : file.getManifest().getMainAttributes();
            String bsn = main == null ? null : main.getValue("Bundle-SymbolicName");
            if (bsn == null) {
                return null;
            }
            String name = bsn.split(";")[0].trim();
            Version version = Version.parseVersion(main.getValue("Bundle-Version"));
            for (Bundle b : context.getBundles()) {
                if (name.equals(b.getSymbolicName()) && version.equals(b.getVersion())) {
                    return b;
                }
            }
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}

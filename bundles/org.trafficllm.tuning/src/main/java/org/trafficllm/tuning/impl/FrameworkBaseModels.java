package org.trafficllm.tuning.impl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.util.tracker.ServiceTracker;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.tuning.TuningException;

/**
 * Base models of the running framework. A name selects the {@code BaseModel} service
 * with that {@code trafficllm.basemodel} property, waiting while a base-model bundle
 * is still loading. A directory becomes a weights-only base-model bundle made in
 * memory (its files under {@code model/}, the {@code TrafficLLM-BaseModel} header and
 * the capability named after the directory), installed for the job and uninstalled
 * after it, so the model bundle's extender loads it like any shipped base model.
 */
final class FrameworkBaseModels implements BaseModels {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private final BundleContext context;
    private final long waitMillis;

    FrameworkBaseModels(BundleContext context, long waitMillis) {
        this.context = context;
        this.waitMillis = waitMillis;
    }

    @Override
    public Lease open(String nameOrDirectory) throws TuningException {
        if (nameOrDirectory == null || nameOrDirectory.isBlank()) {
            throw new TuningException("no base model named");
        }
        Path dir = Paths.get(nameOrDirectory);
        if (Files.isDirectory(dir)) {
            return fromDirectory(dir.toAbsolutePath().normalize());
        }
        if (nameOrDirectory.contains("/") || nameOrDirectory.contains("\\")) {
            throw new TuningException(nameOrDirectory + ": no such model directory");
        }
        String filter = "(&(objectClass=" + BaseModel.class.getName() + ")(" + BaseModel.NAME + "="
                + escape(nameOrDirectory) + "))";
        ServiceTracker<BaseModel, BaseModel> tracker = track(filter);
        BaseModel model = await(tracker);
        if (model == null) {
            tracker.close();
            throw new TuningException("base model '" + nameOrDirectory + "' is not installed (no BaseModel service "
                    + "named so after " + waitMillis / 1000 + " s); name an installed one or a model directory");
        }
        ServiceReference<BaseModel> ref = tracker.getServiceReference();
        String description = nameOrDirectory + " " + ref.getProperty(BaseModel.VERSION);
        return lease(model, description, tracker, null);
    }

    private Lease fromDirectory(Path dir) throws TuningException {
        if (!Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            throw new TuningException(dir + ": not a model directory (config.json and tokenizer.json are needed)");
        }
        String name = dir.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "-");
        String symbolicName = "org.trafficllm.basemodel.local" + SEQUENCE.incrementAndGet() + "." + name;
        long newerThan = newestServiceId();
        Bundle bundle;
        try {
            bundle = context.installBundle("trafficllm:basemodel:" + dir + "#" + System.nanoTime(),
                    new ByteArrayInputStream(jar(dir, symbolicName, name)));
        } catch (IOException | BundleException e) {
            throw new TuningException(dir + ": cannot install as a base-model bundle: " + e.getMessage(), e);
        }
        ServiceTracker<BaseModel, BaseModel> tracker = null;
        try {
            // New installs may get a start level above the framework's (the runtime starts its console last).
            BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
            if (level != null) {
                level.setStartLevel(1);
            }
            bundle.start();
            tracker = track("(&(objectClass=" + BaseModel.class.getName() + ")(" + BaseModel.NAME + "=" + escape(name)
                    + ")(" + Constants.SERVICE_ID + ">=" + (newerThan + 1) + "))");
            BaseModel model = await(tracker);
            if (model == null) {
                throw new TuningException(dir + ": the model did not load within " + waitMillis / 1000
                        + " s (see the log for the model bundle's reason)");
            }
            return lease(model, name + " (" + dir + ")", tracker, bundle);
        } catch (BundleException | TuningException e) {
            if (tracker != null) {
                tracker.close();
            }
            uninstall(bundle);
            throw e instanceof TuningException t ? t : new TuningException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The highest service id now: the extender registers a directory's model from its own
     * bundle, under the directory's name, so the service to wait for is the one newer than this.
     */
    private long newestServiceId() throws TuningException {
        try {
            long newest = 0;
            ServiceReference<?>[] all = context.getAllServiceReferences(null, null);
            for (ServiceReference<?> ref : all == null ? new ServiceReference<?>[0] : all) {
                newest = Math.max(newest, (Long) ref.getProperty(Constants.SERVICE_ID));
            }
            return newest;
        } catch (InvalidSyntaxException e) {
            throw new TuningException(e.getMessage(), e);
        }
    }

    private ServiceTracker<BaseModel, BaseModel> track(String filter) throws TuningException {
        Filter f;
        try {
            f = FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new TuningException("bad base model name: " + e.getMessage(), e);
        }
        ServiceTracker<BaseModel, BaseModel> tracker = new ServiceTracker<>(context, f, null);
        tracker.open();
        return tracker;
    }

    private BaseModel await(ServiceTracker<BaseModel, BaseModel> tracker) throws TuningException {
        try {
            return tracker.waitForService(TimeUnit.MILLISECONDS.toMillis(waitMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TuningException("interrupted while waiting for the base model", e);
        }
    }

    private Lease lease(BaseModel model, String description, ServiceTracker<BaseModel, BaseModel> tracker,
            Bundle installed) {
        return BaseModels.lease(model, description, () -> {
            tracker.close();
            if (installed != null) {
                uninstall(installed);
            }
        });
    }

    private static void uninstall(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            // already gone with the framework
        }
    }

    /** A weights-only base-model bundle with the directory's files under {@code model/}. */
    static byte[] jar(Path dir, String symbolicName, String name) throws IOException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Name", "Base model " + name + " from " + dir);
        a.putValue(BaseModel.BUNDLE_HEADER, "model");
        a.putValue("Provide-Capability", BaseModel.CAPABILITY_NAMESPACE + ";" + BaseModel.CAPABILITY_NAMESPACE + "=\""
                + name + "\";version:Version=\"1.0.0\"");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest);
                DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    out.putNextEntry(new JarEntry("model/" + f.getFileName()));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    private static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}

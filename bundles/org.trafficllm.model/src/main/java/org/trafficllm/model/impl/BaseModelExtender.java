package org.trafficllm.model.impl;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.trafficllm.api.model.BaseModel;

/**
 * Loads the base model of every started bundle that carries the
 * {@code TrafficLLM-BaseModel} header and registers it as a {@link BaseModel} service
 * (properties: name, version, arch); unregisters and frees it when the bundle stops.
 * Loading runs off the framework thread; a bundle whose model fails to load is logged
 * in one line and simply has no service.
 */
@Capability(namespace = "osgi.extender", name = BaseModel.CAPABILITY_NAMESPACE, version = "1.0.0")
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.trafficllm.api.model.BaseModel")
@Component(immediate = true)
public class BaseModelExtender {
    private static final System.Logger LOG = System.getLogger(BaseModelExtender.class.getName());

    @Reference
    EngineExecutor engine;
    private ExecutorService loader;
    private BundleTracker<Slot> tracker;
    private Path workDir;

    /** One tracked base-model bundle: its load in progress or done, and its service. */
    private final class Slot {
        final Bundle bundle;
        final BaseModelBundle declared;
        final Path dir;
        CompletableFuture<LoadedBaseModel> loading;
        ServiceRegistration<BaseModel> registration;
        boolean removed;

        Slot(Bundle bundle, BaseModelBundle declared) {
            this.bundle = bundle;
            this.declared = declared;
            this.dir = workDir.resolve(bundle.getBundleId() + "-" + bundle.getLastModified());
        }
    }

    @Activate
    void activate(BundleContext context) {
        loader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "trafficllm-basemodel-loader");
            t.setDaemon(true);
            return t;
        });
        workDir = context.getDataFile("basemodels").toPath();
        deleteQuietly(workDir);
        tracker = new BundleTracker<>(context, Bundle.ACTIVE, new BundleTrackerCustomizer<>() {
            @Override
            public Slot addingBundle(Bundle bundle, BundleEvent event) {
                BaseModelBundle declared = BaseModelBundle.of(bundle);
                return declared == null ? null : start(context, bundle, declared);
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, Slot slot) {
                // a started bundle stays loaded whatever else happens to it
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Slot slot) {
                stop(slot);
            }
        });
        tracker.open();
    }

    private Slot start(BundleContext context, Bundle bundle, BaseModelBundle declared) {
        Slot slot = new Slot(bundle, declared);
        slot.loading = CompletableFuture.supplyAsync(() -> {
            try {
                declared.extract(bundle, slot.dir);
                return LoadedBaseModel.load(declared.name(), declared.version(), slot.dir, engine);
            } catch (Exception e) {
                LOG.log(Level.ERROR, bundle.getSymbolicName() + " " + bundle.getVersion() + ": base model '"
                        + declared.name() + "' not loaded: " + e.getMessage());
                return null;
            }
        }, loader);
        slot.loading.thenAccept(model -> register(context, slot, model));
        return slot;
    }

    private void register(BundleContext context, Slot slot, LoadedBaseModel model) {
        synchronized (slot) {
            if (slot.removed) {
                if (model != null) {
                    model.close();
                }
                deleteQuietly(slot.dir);
                return;
            }
            if (model == null) {
                return;
            }
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(BaseModel.NAME, model.name());
            props.put(BaseModel.VERSION, model.version());
            props.put(BaseModel.ARCH, model.model.config.arch.id);
            props.put("service.description", "base model " + model.name() + " " + model.version() + " from bundle "
                    + slot.bundle.getSymbolicName());
            try {
                slot.registration = context.registerService(BaseModel.class, model, props);
            } catch (IllegalStateException e) {
                model.close();
            }
        }
    }

    private void stop(Slot slot) {
        LoadedBaseModel model;
        boolean loaded;
        synchronized (slot) {
            slot.removed = true;
            if (slot.registration != null) {
                try {
                    slot.registration.unregister();
                } catch (IllegalStateException e) {
                    // already gone with the framework
                }
                slot.registration = null;
            }
            loaded = slot.loading.isDone();
            model = loaded ? slot.loading.getNow(null) : null;
        }
        if (model != null) {
            model.close();
        }
        if (loaded) {
            deleteQuietly(slot.dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + dir + ": " + e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        tracker.close();
        loader.shutdownNow();
    }
}

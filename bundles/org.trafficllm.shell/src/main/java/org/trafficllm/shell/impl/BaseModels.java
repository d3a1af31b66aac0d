package org.trafficllm.shell.impl;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.trafficllm.api.model.BaseModel;

/**
 * Picks the base model a command runs on. Base-model bundles load their weights
 * in the background, so a command that starts with the runtime waits while a
 * started base-model bundle has not registered its model yet.
 */
final class BaseModels {
    private static final long WAIT_MILLIS = Long.getLong("trafficllm.model.wait.ms", 120_000L);

    private BaseModels() {
    }

    static BaseModel pick(BundleContext context, Supplier<List<BaseModel>> models, String name) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            // a snapshot: the supplier's list is live, and a model registering between the search
            // and the loading check would otherwise be missed by one and seen by the other
            List<BaseModel> now = List.copyOf(models.get());
            for (BaseModel m : now) {
                if (name == null || name.isBlank() || name.equals(m.info().name)) {
                    return m;
                }
            }
            if (!loading(context, now) || System.currentTimeMillis() > deadline) {
                if (now.isEmpty()) {
                    throw new IllegalStateException("no base model is loaded; install a base-model bundle (tllm:info lists the bundles)");
                }
                throw new IllegalArgumentException("no base model named '" + name + "'; loaded: "
                        + String.join(", ", now.stream().map(m -> m.info().name).toArray(String[]::new)));
            }
            Thread.sleep(100);
        }
    }

    /** The models loaded once no started base-model bundle is still loading (or the wait is over). */
    static List<BaseModel> settled(BundleContext context, Supplier<List<BaseModel>> models) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        List<BaseModel> now = List.copyOf(models.get());
        while (loading(context, now) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            now = List.copyOf(models.get());
        }
        return now;
    }

    /** True while a started base-model bundle has no model registered under its name yet. */
    private static boolean loading(BundleContext context, List<BaseModel> loaded) {
        Set<String> names = new HashSet<>();
        loaded.forEach(m -> names.add(m.info().name));
        for (Bundle b : context.getBundles()) {
            BundleRevision revision = b.adapt(BundleRevision.class);
            if (b.getState() != Bundle.ACTIVE || revision == null) {
                continue;
            }
            for (BundleCapability c : revision.getDeclaredCapabilities(BaseModel.CAPABILITY_NAMESPACE)) {
                if (!names.contains(String.valueOf(c.getAttributes().get(BaseModel.CAPABILITY_NAMESPACE)))) {
                    return true;
                }
            }
        }
        return false;
    }
}

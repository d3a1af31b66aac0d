package org.trafficllm.tuning.impl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.model.impl.StandaloneModels;

/**
 * Base models without a framework: named models registered by the test, and model
 * directories loaded for a job and freed after it, as {@link FrameworkBaseModels}
 * does with bundles.
 */
final class LocalBaseModels implements BaseModels {
    private final StandaloneModels models;
    private final Map<String, BaseModel> named = new LinkedHashMap<>();

    LocalBaseModels(StandaloneModels models) {
        this.models = models;
    }

    LocalBaseModels register(String name, BaseModel model) {
        named.put(name, model);
        return this;
    }

    @Override
    public Lease open(String nameOrDirectory) throws TuningException {
        BaseModel model = named.get(nameOrDirectory);
        if (model != null) {
            return lease(model, nameOrDirectory + " " + model.info().version, false);
        }
        Path dir = Paths.get(nameOrDirectory);
        if (!Files.isDirectory(dir)) {
            throw new TuningException("base model '" + nameOrDirectory + "' is not installed");
        }
        try {
            BaseModel loaded = models.load(dir.getFileName().toString(), "1.0.0", dir);
            return lease(loaded, loaded.info().name + " (" + dir + ")", true);
        } catch (ModelException e) {
            throw new TuningException(dir + ": " + e.getMessage(), e);
        }
    }

    private static Lease lease(BaseModel model, String description, boolean owned) {
        return BaseModels.lease(model, description, () -> {
            if (owned) {
                StandaloneModels.unload(model);
            }
        });
    }
}

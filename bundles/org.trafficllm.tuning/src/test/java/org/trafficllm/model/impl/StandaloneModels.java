package org.trafficllm.model.impl;

import java.nio.file.Path;

import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.model.ModelTraining;

/**
 * The model bundle's real engine, base models and training service outside a
 * framework, for the tuning bundle's open-box tests and benchmark: the constructors
 * the bundle's DS components and extender call, reached from this package.
 */
public final class StandaloneModels implements AutoCloseable {
    private final EngineExecutor engine = new EngineExecutor(1);

    public ModelTraining training() {
        return new ModelTrainingService(engine);
    }

    /** Loads a Hugging Face model directory as the base model {@code name} version {@code version}. */
    public BaseModel load(String name, String version, Path directory) throws ModelException {
        return LoadedBaseModel.load(name, version, directory, engine);
    }

    /** Frees a base model loaded here. */
    public static void unload(BaseModel model) {
        ((LoadedBaseModel) model).close();
    }

    @Override
    public void close() {
        engine.close();
    }
}

package org.trafficllm.model.impl;

import org.osgi.annotation.bundle.Capability;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.model.AdapterTrainingSpec;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.model.ModelTraining;
import org.trafficllm.api.model.ModelTrainingSpec;
import org.trafficllm.api.model.TrainingSession;

/** Opens training sessions on the bundle's engine threads. */
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=org.trafficllm.api.model.ModelTraining")
@Component(service = ModelTraining.class)
public class ModelTrainingService implements ModelTraining {
    private final EngineExecutor engine;

    @Activate
    public ModelTrainingService(@Reference EngineExecutor engine) {
        this.engine = engine;
    }

    @Override
    public TrainingSession trainAdapter(BaseModel base, AdapterTrainingSpec spec) throws ModelException {
        if (!(base instanceof LoadedBaseModel loaded)) {
            throw new ModelException("base model " + (base == null ? null : base.info().name)
                    + " is not served by this model bundle");
        }
        return new EngineTrainingSession(loaded.engine(), loaded.engine().call(() -> new AdapterTrainingRun(loaded, spec)));
    }

    @Override
    public TrainingSession trainModel(ModelTrainingSpec spec) throws ModelException {
        return new EngineTrainingSession(engine, engine.call(() -> ModelTrainingRun.open(spec)));
    }
}

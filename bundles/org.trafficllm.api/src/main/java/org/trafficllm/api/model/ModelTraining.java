package org.trafficllm.api.model;

import org.osgi.annotation.versioning.ProviderType;

/** Opens training sessions: new adapters over a loaded base model, or whole models. */
@ProviderType
public interface ModelTraining {

    /** A new LoRA or prefix-tuning adapter over {@code base}, which must be a service of this model bundle. */
    TrainingSession trainAdapter(BaseModel base, AdapterTrainingSpec spec) throws ModelException;

    /** Full-parameter training of a fresh or loaded model. */
    TrainingSession trainModel(ModelTrainingSpec spec) throws ModelException;
}

package org.trafficllm.tuning.impl;

import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.tuning.TuningException;

/**
 * Where a job gets its base model: a {@code BaseModel} service by name, or a model
 * directory loaded for the job and released after it.
 */
interface BaseModels {

    /** A base model held for one job. */
    interface Lease extends AutoCloseable {
        BaseModel model();

        /** Name and version, e.g. {@code nano 1.0.0}. */
        String description();

        @Override
        void close();
    }

    /** A lease on {@code model} that runs {@code release} when closed. */
    static Lease lease(BaseModel model, String description, Runnable release) {
        return new Lease() {
            @Override
            public BaseModel model() {
                return model;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public void close() {
                release.run();
            }
        };
    }

    /**
     * @param nameOrDirectory a base model's name, or the path of a Hugging Face model directory
     */
    Lease open(String nameOrDirectory) throws TuningException;
}

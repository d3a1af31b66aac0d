package org.trafficllm.model.impl;

import java.nio.file.Path;
import java.util.Map;

import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.model.StepResult;
import org.trafficllm.api.model.TrainingBatch;
import org.trafficllm.api.model.TrainingSession;
import org.trafficllm.api.model.UpdateResult;

/** A {@link TrainingSession} whose work runs on the engine executor. */
final class EngineTrainingSession implements TrainingSession {
    private final EngineExecutor engine;
    final TrainingRun run;

    EngineTrainingSession(EngineExecutor engine, TrainingRun run) {
        this.engine = engine;
        this.run = run;
    }

    @Override
    public StepResult step(TrainingBatch batch) throws ModelException {
        return engine.call(() -> run.step(batch));
    }

    @Override
    public StepResult evaluate(TrainingBatch batch) throws ModelException {
        return engine.call(() -> run.evaluate(batch));
    }

    @Override
    public UpdateResult update(double learningRate) throws ModelException {
        return engine.call(() -> run.update(learningRate));
    }

    @Override
    public long steps() {
        return run.steps;
    }

    @Override
    public long trainableParameters() {
        return run.trainableParameters();
    }

    @Override
    public void saveAdapter(Path directory) throws ModelException {
        if (!(run instanceof AdapterTrainingRun a)) {
            throw new ModelException(directory + ": this session trains a whole model; use saveModel");
        }
        engine.call(() -> {
            a.saveAdapter(directory);
            return null;
        });
    }

    @Override
    public void saveModel(Path directory, String dtype) throws ModelException {
        if (!(run instanceof ModelTrainingRun m)) {
            throw new ModelException(directory + ": this session trains an adapter; use saveAdapter");
        }
        engine.call(() -> {
            m.saveModel(directory, dtype);
            return null;
        });
    }

    @Override
    public void saveState(Path directory) throws ModelException {
        engine.call(() -> {
            run.saveState(directory);
            return null;
        });
    }

    @Override
    public void restoreState(Path directory) throws ModelException {
        engine.call(() -> {
            run.restoreState(directory);
            return null;
        });
    }

    @Override
    public void growVocabulary(int newVocabSize, Map<Integer, int[]> initFrom) throws ModelException {
        if (!(run instanceof ModelTrainingRun m)) {
            throw new ModelException("the vocabulary of a shared base model cannot grow in an adapter session");
        }
        engine.call(() -> {
            m.growVocabulary(newVocabSize, initFrom);
            return null;
        });
    }

    @Override
    public void close() {
        try {
            engine.call(() -> {
                run.close();
                return null;
            });
        } catch (ModelException e) {
            throw new IllegalStateException("closing training session failed: " + e.getMessage(), e);
        }
    }
}

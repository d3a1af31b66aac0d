package org.trafficllm.tuning.impl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.model.StepResult;
import org.trafficllm.api.model.TrainingBatch;
import org.trafficllm.api.model.TrainingSession;
import org.trafficllm.api.tuning.TuningException;

/**
 * The loop both jobs run: {@code accumulation} steps on the planned batches, one
 * scheduled update, progress; every {@code checkpointEvery} updates (and at the last)
 * a loss-curve point, the job's own check (validation), and an atomic checkpoint of
 * the session state and the loop state. An interrupt is taken at the next update
 * boundary: the state is checkpointed there and the run ends with a message naming
 * the directory to resume from.
 */
final class TrainingLoop {

    /** What differs between jobs. */
    interface Hooks {
        TrainingBatch batch(long index);

        /** Called at every checkpoint interval before saving; may set {@link LoopState#stopped}. */
        void atInterval(LoopState st) throws TuningException, ModelException, IOException;

        /** Adds the job's own files to a checkpoint being written. */
        void saveExtras(Path checkpoint) throws IOException;
    }

    private final TrainingSession session;
    private final CheckpointStore store;
    private final LearningRateSchedule schedule;
    private final int accumulation;
    private final int checkpointEvery;
    private final long plannedSteps;
    private final long batchesPerEpoch;
    private final RunProgress progress;

    TrainingLoop(TrainingSession session, CheckpointStore store, LearningRateSchedule schedule, int accumulation,
            int checkpointEvery, long plannedSteps, long batchesPerEpoch, RunProgress progress) {
        this.session = session;
        this.store = store;
        this.schedule = schedule;
        this.accumulation = accumulation;
        this.checkpointEvery = checkpointEvery;
        this.plannedSteps = plannedSteps;
        this.batchesPerEpoch = batchesPerEpoch;
        this.progress = progress;
    }

    double epoch(LoopState st) {
        return (double) st.batches / batchesPerEpoch;
    }

    void run(LoopState st, Hooks hooks) throws TuningException, ModelException, IOException {
        while (!st.stopped && st.step < plannedSteps) {
            double rate = schedule.rate(st.step);
            double lossSum = 0;
            long targets = 0;
            long sequenceTokens = 0;
            for (int a = 0; a < accumulation; a++) {
                TrainingBatch batch = hooks.batch(st.batches++);
                StepResult r = session.step(batch);
                lossSum += r.loss * r.tokens;
                targets += r.tokens;
                for (int[] row : batch.tokenIds) {
                    sequenceTokens += row.length;
                }
            }
            session.update(rate);
            st.step++;
            st.tokens += sequenceTokens;
            st.lossSum += lossSum;
            st.lossTokens += targets;
            if (Double.isNaN(st.firstLoss)) {
                st.firstLoss = lossSum / targets;
            }
            progress.step(st.step, epoch(st), lossSum / targets, sequenceTokens, rate);
            // Cleared here so the checkpoint can still talk to the engine; set again before leaving.
            boolean interrupted = Thread.interrupted();
            if (st.step % checkpointEvery == 0 || st.step == plannedSteps) {
                double meanLoss = st.lossTokens > 0 ? st.lossSum / st.lossTokens : Double.NaN;
                st.curve.add(new double[] {st.step, meanLoss});
                st.lossSum = 0;
                st.lossTokens = 0;
                hooks.atInterval(st);
                if (st.step >= plannedSteps) {
                    st.stopped = true;
                }
                save(st, hooks);
                progress.phase("checkpoint", st.step, epoch(st), String.format(Locale.ROOT,
                        "checkpoint at step %d (train loss %.4f)%s", st.step, meanLoss, st.stoppedEarly
                                ? "; stopping early: validation stopped improving" : ""), null);
            } else if (interrupted) {
                save(st, hooks);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
                throw new TuningException("interrupted after step " + st.step + "; resume with --resume " + store.dir);
            }
        }
    }

    private void save(LoopState st, Hooks hooks) throws TuningException, ModelException, IOException {
        st.elapsedMillis = progress.elapsedMillis();
        Path tmp = store.begin(st.step);
        session.saveState(tmp.resolve("state"));
        hooks.saveExtras(tmp);
        CheckpointStore.writeJson(tmp.resolve("loop.json"), st);
        store.commit(tmp, st.step);
    }

    /** The loop state of a checkpoint, after restoring the session's own state from it. */
    static LoopState restore(TrainingSession session, Path checkpoint) throws TuningException, ModelException {
        if (checkpoint == null) {
            return new LoopState();
        }
        session.restoreState(checkpoint.resolve("state"));
        try {
            return DatasetFile.JSON.treeToValue(CheckpointStore.readJson(checkpoint.resolve("loop.json")),
                    LoopState.class);
        } catch (IOException e) {
            throw new TuningException(checkpoint.resolve("loop.json") + ": " + e.getMessage(), e);
        }
    }
}

package org.trafficllm.tuning.impl;

import java.util.ArrayList;
import java.util.List;

import org.trafficllm.api.tuning.dto.ValidationDTO;

/**
 * Everything of a training loop that is not in the model session's own state: where
 * the data order stands, what was measured, and the early-stopping bookkeeping.
 * Saved as {@code loop.json} in every checkpoint.
 */
public class LoopState {
    /** Optimizer updates done. */
    public long step;
    /** Batches consumed (the position in the seeded data order). */
    public long batches;
    /** Tokens of the sequences trained on. */
    public long tokens;
    /** Loss summed over steps since the last curve point, and the target tokens it covers. */
    public double lossSum;
    public long lossTokens;
    /** Mean loss per stretch of updates: {@code [step, loss]}. */
    public List<double[]> curve = new ArrayList<>();
    public List<ValidationDTO> validations = new ArrayList<>();
    /** Validations since the best one. */
    public int sinceBest;
    public boolean stopped;
    public boolean stoppedEarly;
    /** Training wall time before this piece of the run (resumes add up). */
    public long elapsedMillis;
    public long millisToBest;
    public double firstLoss = Double.NaN;
}

package org.trafficllm.baseline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Tree ensembles on {@link ByteFeatures}, both grown by XGBoost (histogram method,
 * multi-class soft-max): a random forest in XGBoost's documented random-forest mode
 * (one round of many parallel trees, learning rate 1, rows and columns subsampled
 * per tree and per node, deep trees), or gradient-boosted trees with XGBoost's
 * default learning rate and depth.
 */
final class TreeEnsemble implements BaselineModel {
    enum Kind {
        RANDOM_FOREST, GRADIENT_BOOSTING
    }

    private final Kind kind;
    private final int trees;
    private final int byteBudget;
    private final int threads;
    private final long seed;
    private ByteFeatures features;
    private List<String> classes;
    private Booster booster;

    /**
     * @param trees forest size, or boosting rounds
     */
    TreeEnsemble(Kind kind, int trees, int byteBudget, int threads, long seed) {
        this.kind = kind;
        this.trees = trees;
        this.byteBudget = byteBudget;
        this.threads = threads;
        this.seed = seed;
    }

    @Override
    public String description() {
        String layout = features == null ? "" : String.format(Locale.ROOT,
                "; features: %s, packet lengths, packet count%s (%d)", features.width() == 0 ? "no bytes"
                        : String.format(Locale.ROOT, "first %d bytes of each of the first %d packets", features.width(),
                                features.packets()),
                features.flowFields() ? ", flow fields" : "", features.size());
        if (kind == Kind.RANDOM_FOREST) {
            return "XGBoost random forest: " + trees + " trees per class, depth <= 12, rows 0.632, columns sqrt(d)/d per node"
                    + layout;
        }
        return "XGBoost gradient-boosted trees: " + trees + " rounds, eta 0.3, depth 6" + layout;
    }

    @Override
    public void train(List<TrafficSample> samples, List<String> classes, ProgressListener progress)
            throws BaselineException {
        this.features = ByteFeatures.fitted(samples, byteBudget);
        this.classes = List.copyOf(classes);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        float[] labels = new float[samples.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = index.get(samples.get(i).label());
        }
        DMatrix train = matrix(samples, progress);
        try {
            train.setLabel(labels);
            Map<String, Object> params = parameters();
            booster = XGBoost.train(train, params, 0, new HashMap<>(), null, null);
            int rounds = kind == Kind.RANDOM_FOREST ? 1 : trees;
            progress.progress("train", 0, rounds);
            for (int round = 0; round < rounds; round++) {
                booster.update(train, round);
                progress.progress("train", round + 1, rounds);
            }
        } catch (XGBoostError e) {
            throw new BaselineException("XGBoost failed to train: " + firstLine(e.getMessage()), e);
        } finally {
            train.dispose();
        }
    }

    private Map<String, Object> parameters() {
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "multi:softprob");
        params.put("num_class", classes.size());
        params.put("tree_method", "hist");
        params.put("nthread", threads);
        params.put("seed", seed);
        params.put("verbosity", 0);
        if (kind == Kind.RANDOM_FOREST) {
            params.put("num_parallel_tree", trees);
            params.put("learning_rate", 1.0);
            params.put("subsample", 0.632);
            params.put("colsample_bynode", Math.sqrt(features.size()) / features.size());
            params.put("max_depth", 12);
            // Soft-max hessians are about (1/K)(1 - 1/K) per sample at the start, so XGBoost's default
            // min_child_weight of 1 would stop a forest's trees at leaves of ~K samples.
            params.put("min_child_weight", 0.0);
            params.put("reg_lambda", 1e-3);
        } else {
            params.put("learning_rate", 0.3);
            params.put("max_depth", 6);
        }
        return params;
    }

    @Override
    public List<String> predict(List<TrafficSample> samples, ProgressListener progress) throws BaselineException {
        if (booster == null) {
            throw new IllegalStateException("predict before train");
        }
        DMatrix test = matrix(samples, progress);
        try {
            progress.progress("predict", 0, samples.size());
            float[][] scores = booster.predict(test);
            List<String> predicted = new ArrayList<>(samples.size());
            for (float[] row : scores) {
                int best = 0;
                for (int c = 1; c < row.length; c++) {
                    if (row[c] > row[best]) {
                        best = c;
                    }
                }
                predicted.add(classes.get(best));
            }
            progress.progress("predict", samples.size(), samples.size());
            return predicted;
        } catch (XGBoostError e) {
            throw new BaselineException("XGBoost failed to predict: " + firstLine(e.getMessage()), e);
        } finally {
            test.dispose();
        }
    }

    private DMatrix matrix(List<TrafficSample> samples, ProgressListener progress) throws BaselineException {
        int width = features.size();
        float[] data = new float[Math.multiplyExact(samples.size(), width)];
        for (int i = 0; i < samples.size(); i++) {
            features.extract(samples.get(i).traffic(), data, i * width);
            if ((i & 0x3ff) == 0) {
                progress.progress("features", i, samples.size());
            }
        }
        progress.progress("features", samples.size(), samples.size());
        try {
            return new DMatrix(data, samples.size(), width, Float.NaN);
        } catch (XGBoostError e) {
            throw new BaselineException("XGBoost refused the feature matrix: " + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}

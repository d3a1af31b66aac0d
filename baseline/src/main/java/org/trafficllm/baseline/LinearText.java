package org.trafficllm.baseline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

/**
 * L2-regularised logistic regression (LIBLINEAR, one-vs-rest for several classes)
 * on {@link CharNgrams} of the traffic text, with a bias term.
 */
final class LinearText implements BaselineModel {
    private final CharNgrams ngrams;
    private final int minN;
    private final int maxN;
    private final int bits;
    private final double cost;
    private Model model;
    private List<String> classes;

    LinearText(int minN, int maxN, int bits, double cost) {
        this.ngrams = new CharNgrams(minN, maxN, bits);
        this.minN = minN;
        this.maxN = maxN;
        this.bits = bits;
        this.cost = cost;
        Linear.disableDebugOutput();
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "LIBLINEAR logistic regression (L2, C %s, one-vs-rest); features: character"
                + " %d- to %d-grams hashed into 2^%d buckets, 1 + ln(count), unit length", cost, minN, maxN, bits);
    }

    @Override
    public void train(List<TrafficSample> samples, List<String> classes, ProgressListener progress) {
        this.classes = List.copyOf(classes);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        Problem problem = new Problem();
        problem.l = samples.size();
        problem.n = ngrams.dimensions() + 1;
        problem.bias = 1;
        problem.x = new Feature[samples.size()][];
        problem.y = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            problem.x[i] = row(samples.get(i).traffic(), problem.n);
            problem.y[i] = index.get(samples.get(i).label());
            if ((i & 0x3ff) == 0) {
                progress.progress("features", i, samples.size());
            }
        }
        progress.progress("features", samples.size(), samples.size());
        progress.progress("train", 0, 1);
        model = Linear.train(problem, new Parameter(SolverType.L2R_LR, cost, 0.01));
        progress.progress("train", 1, 1);
    }

    @Override
    public List<String> predict(List<TrafficSample> samples, ProgressListener progress) {
        if (model == null) {
            throw new IllegalStateException("predict before train");
        }
        List<String> predicted = new ArrayList<>(samples.size());
        int biasIndex = ngrams.dimensions() + 1;
        for (int i = 0; i < samples.size(); i++) {
            predicted.add(classes.get((int) Linear.predict(model, row(samples.get(i).traffic(), biasIndex))));
            if ((i & 0x3ff) == 0) {
                progress.progress("predict", i, samples.size());
            }
        }
        progress.progress("predict", samples.size(), samples.size());
        return predicted;
    }

    private Feature[] row(String text, int biasIndex) {
        CharNgrams.Row row = ngrams.extract(text);
        Feature[] features = new Feature[row.index().length + 1];
        for (int i = 0; i < row.index().length; i++) {
            features[i] = new FeatureNode(row.index()[i], row.value()[i]);
        }
        features[row.index().length] = new FeatureNode(biasIndex, 1);
        return features;
    }
}

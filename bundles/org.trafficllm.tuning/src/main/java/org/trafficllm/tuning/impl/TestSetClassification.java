package org.trafficllm.tuning.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.AdapterInfo;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.ClassificationRequest;
import org.trafficllm.api.model.ClassificationResult;
import org.trafficllm.api.model.ModelException;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.dto.EvaluationRequestDTO;

/**
 * Classifies test samples batch by batch, reporting after each batch, and collects
 * expected and predicted labels for the evaluation service. The tuning job's
 * validation and test and the stand-alone evaluation all classify here, with the same
 * batches, so the same adapter asked about the same file gives the same answers.
 */
final class TestSetClassification {
    /** Samples per batch unless a request says otherwise: the tuning job's test uses this too. */
    static final int DEFAULT_BATCH = new EvaluationRequestDTO().batchSize;

    /** A label and the probability the classifier gave it. */
    record Answer(String label, double score) {
    }

    /** Answers one batch of samples, in order. */
    @FunctionalInterface
    interface Classifier<T> {
        List<Answer> classify(List<T> batch) throws TuningException;
    }

    /** Hears about each batch done. */
    @FunctionalInterface
    interface Progress {
        void samples(long done, long total, long elapsedNanos);
    }

    /** What came out: expected and predicted label and score per sample, and the wall time of classifying. */
    record Answers(List<String> expected, List<String> predicted, List<Double> scores, long nanos) {
        long millis() {
            return nanos / 1_000_000L;
        }
    }

    private TestSetClassification() {
    }

    /**
     * @param interruptible true: a thread interrupt ends the classification at the next
     *        batch (the interrupt stays set); false: it is left for the caller to take
     *        (a training loop takes it at its next update)
     */
    static <T> Answers classify(List<T> samples, Function<T, String> expected, Classifier<T> classifier, int batch,
            Progress progress, boolean interruptible) throws TuningException {
        int size = Math.max(1, batch);
        List<String> want = new ArrayList<>(samples.size());
        List<String> got = new ArrayList<>(samples.size());
        List<Double> scores = new ArrayList<>(samples.size());
        long start = System.nanoTime();
        for (int from = 0; from < samples.size(); from += size) {
            if (interruptible && Thread.currentThread().isInterrupted()) {
                throw new TuningException("interrupted after " + from + " of " + samples.size() + " samples");
            }
            List<T> chunk = samples.subList(from, Math.min(samples.size(), from + size));
            List<Answer> answers = classifier.classify(chunk);
            for (T s : chunk) {
                want.add(expected.apply(s));
            }
            for (Answer a : answers) {
                got.add(a.label());
                scores.add(a.score());
            }
            if (progress != null) {
                progress.samples(got.size(), samples.size(), System.nanoTime() - start);
            }
        }
        return new Answers(want, got, scores, System.nanoTime() - start);
    }

    /** Tokenized samples classified by a resident adapter, constrained to {@code labels}. */
    static Classifier<TokenizedSamples.Sample> adapter(BaseModel model, String adapterId, List<String> labels) {
        return chunk -> {
            List<ClassificationRequest> requests = new ArrayList<>(chunk.size());
            for (TokenizedSamples.Sample s : chunk) {
                ClassificationRequest c = new ClassificationRequest(adapterId, null, labels);
                c.promptTokenIds = s.tokens();
                requests.add(c);
            }
            List<Answer> out = new ArrayList<>(chunk.size());
            try {
                for (ClassificationResult r : model.classifyBatch(requests)) {
                    out.add(new Answer(r.label, r.probabilities.getOrDefault(r.label, 0.0)));
                }
            } catch (ModelException e) {
                throw new TuningException("test sample at line " + chunk.get(0).line() + " and after: " + e.getMessage(),
                        e);
            }
            return out;
        };
    }

    /** An adapter directory made resident over a base model under a fresh id, until closed. */
    static final class ResidentAdapter implements AutoCloseable {
        final String id;
        final AdapterInfo info;
        private final BaseModel model;

        private ResidentAdapter(BaseModel model, String id, AdapterInfo info) {
            this.model = model;
            this.id = id;
            this.info = info;
        }

        static ResidentAdapter load(BaseModel model, String purpose, java.nio.file.Path directory)
                throws ModelException {
            String id = purpose + "-" + System.nanoTime();
            return new ResidentAdapter(model, id, model.loadAdapter(id, AdapterFiles.of(directory)));
        }

        /** Tokens a prompt must leave free for this adapter: a prefix adapter's virtual tokens. */
        int reservedTokens() {
            return AdapterTuningJob.PREFIX.equals(info.peftType) ? info.rank : 0;
        }

        @Override
        public void close() {
            model.unloadAdapter(id);
        }
    }
}

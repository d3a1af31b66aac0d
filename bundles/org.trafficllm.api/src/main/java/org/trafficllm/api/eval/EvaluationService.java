package org.trafficllm.api.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;

/**
 * Computes classification reports and writes them. The metric definitions follow
 * scikit-learn's with an explicit label set; the module README lists them and how
 * they differ from TrafficLLM's {@code evaluation.py}.
 */
@ProviderType
public interface EvaluationService {
    /**
     * Evaluates predictions against expectations.
     *
     * @param labels the label set, in the order the report keeps; no duplicates
     * @param expected the expected label of every sample; each must be in {@code labels}
     * @param predicted the answer for every sample, same length; an answer that is
     *        {@code null} or not in {@code labels} is invalid
     * @param run where the predictions came from; copied into the report, may be {@code null}
     * @throws IllegalArgumentException naming the first offending position when the
     *         sequences differ in length, are empty, or an expected label is not in the set
     */
    EvaluationReportDTO evaluate(List<String> labels, List<String> expected, List<String> predicted,
            EvaluationRunDTO run);

    /**
     * Maps a model's free-text answer to a label the way TrafficLLM's evaluation
     * does (an answer without a space must equal a label; an answer with spaces
     * names the label in its last word before a full stop), tolerating surrounding
     * white space.
     *
     * @return the label, or {@code null} when the answer names none (an invalid answer)
     */
    String labelOf(String answer, List<String> labels);

    /** Writes the report as JSON (UTF-8), replacing the file. */
    void writeJson(EvaluationReportDTO report, Path file) throws IOException;

    /** Reads a report written by {@link #writeJson}. */
    EvaluationReportDTO readJson(Path file) throws IOException;

    /**
     * Writes a single self-contained HTML page: summary, run description, per-class
     * table, confusion-matrix heat map and per-class bars, with the charting library
     * inlined so the page works offline.
     */
    void writeHtml(EvaluationReportDTO report, Path file) throws IOException;
}

package org.trafficllm.api.tuning;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.tuning.dto.CorpusRequestDTO;
import org.trafficllm.api.tuning.dto.CorpusResultDTO;
import org.trafficllm.api.tuning.dto.EvaluationRequestDTO;
import org.trafficllm.api.tuning.dto.EvaluationResultDTO;
import org.trafficllm.api.tuning.dto.PretrainingRequestDTO;
import org.trafficllm.api.tuning.dto.PretrainingResultDTO;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.api.tuning.dto.TuningResultDTO;

/**
 * Trains adapters and base models on this machine's CPU, reproducibly: the same
 * request, data and seed give byte-identical files, and a run killed at any moment
 * resumes from its last checkpoint to the same result. Every input is read and checked
 * before the first training step.
 */
@ProviderType
public interface TuningService {

    /**
     * Trains a stage-1 (router) or stage-2 (task) adapter over a frozen base model,
     * validates it at every checkpoint, keeps the best, evaluates it on the test split
     * and writes the adapter directory.
     *
     * @param listener receives progress; may be {@code null}
     */
    TuningResultDTO tune(TuningRequestDTO request, TuningListener listener) throws TuningException;

    /** Continues the adapter training whose checkpoints are in {@code checkpoints}; a finished run returns its result. */
    TuningResultDTO resumeTuning(Path checkpoints, TuningListener listener) throws TuningException;

    /**
     * Evaluates a classifier on every sample of a test file (TrafficLLM's evaluation
     * step): an adapter directory loaded over a base model and asked with the prompt
     * format and traffic budget of its {@code task.json}, as the tuning job's test does,
     * or, without an adapter, the task installed in this runtime. The test file, label
     * file and adapter are read and checked before anything is classified, and nothing is
     * written unless the whole evaluation succeeds; then the evaluation service's report
     * goes to {@code report.json} and {@code report.html}, and every answer to
     * {@code predictions.jsonl}, in the output directory.
     *
     * @param listener receives {@code evaluate} progress (samples done, rate, ETA); may be {@code null}
     * @since 1.1
     */
    EvaluationResultDTO evaluate(EvaluationRequestDTO request, TuningListener listener) throws TuningException;

    /**
     * Trains the traffic tokenizer (unless one is given) and a small Llama-architecture
     * base model from scratch on rendered traffic and instructions, and writes it in
     * Hugging Face layout with its model card.
     */
    PretrainingResultDTO pretrain(PretrainingRequestDTO request, TuningListener listener) throws TuningException;

    /** Continues the pretraining whose checkpoints are in {@code checkpoints}. */
    PretrainingResultDTO resumePretraining(Path checkpoints, TuningListener listener) throws TuningException;

    /**
     * Writes the texts of dataset files as tokenizer corpora: the traffic part of every
     * detection sample, the natural language of router samples and task prompts.
     */
    CorpusResultDTO writeCorpus(CorpusRequestDTO request) throws TuningException;
}

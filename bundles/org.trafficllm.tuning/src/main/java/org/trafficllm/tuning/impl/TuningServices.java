package org.trafficllm.tuning.impl;

import org.trafficllm.api.dataset.InstructionSetBuilder;
import org.trafficllm.api.eval.EvaluationService;
import org.trafficllm.api.model.ModelTraining;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.tokenizer.TokenizerMeter;
import org.trafficllm.api.tokenizer.TokenizerTrainer;
import org.trafficllm.api.tuning.PromptFormat;

/** The services a job works with. */
record TuningServices(BaseModels models, ModelTraining training, PromptFormat format, EvaluationService evaluation,
        TaskCatalog catalog, InstructionSetBuilder instructionSets, TokenizerTrainer tokenizerTrainer,
        TokenizerMeter tokenizerMeter) {
}

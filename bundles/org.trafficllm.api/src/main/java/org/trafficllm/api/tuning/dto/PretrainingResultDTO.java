package org.trafficllm.api.tuning.dto;

import java.util.ArrayList;
import java.util.List;

import org.osgi.dto.DTO;

/** What a pretraining run wrote and measured. */
public class PretrainingResultDTO extends DTO {
    /** The model directory (config.json, model.safetensors, tokenizer.json, MODEL.md). */
    public String output;
    public String checkpoints;
    public String tokenizer;
    public long parameters;
    public int vocabSize;
    public int naturalVocabSize;
    /** Bytes of {@code model.safetensors}. */
    public long weightBytes;
    public List<TokenizerRatioDTO> tokenizerRatios = new ArrayList<>();
    public long corpusTexts;
    public long corpusTokens;
    public long steps;
    public long tokens;
    public double firstLoss;
    public double finalLoss;
    public double validationLoss;
    /** Mean training loss per stretch of steps, {@code [step, loss]} pairs. */
    public List<double[]> lossCurve = new ArrayList<>();
    public long trainMillis;
    public double tokensPerSecond;
}

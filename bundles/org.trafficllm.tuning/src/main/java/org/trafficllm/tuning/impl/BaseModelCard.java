package org.trafficllm.tuning.impl;

import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.trafficllm.api.tuning.dto.PretrainingRequestDTO;
import org.trafficllm.api.tuning.dto.PretrainingResultDTO;
import org.trafficllm.api.tuning.dto.TokenizerRatioDTO;

/** The model card ({@code MODEL.md}) of a pretrained base model. */
final class BaseModelCard {
    private BaseModelCard() {
    }

    static String write(PretrainingRequestDTO r, PretrainingResultDTO result, CorpusTexts corpus, int windows,
            int heldOut, long warmup) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(r.name).append(' ').append(r.version).append(": TrafficLLM's embedded base model\n\n");
        md.append("A small Llama-architecture causal language model pretrained from scratch, on a CPU, on rendered "
                + "network traffic and the natural language of TrafficLLM's instructions, with "
                + (result.naturalVocabSize > 0 ? "a traffic-domain tokenizer learned from the same texts"
                        : "the tokenizer it was given")
                + ". Task adapters (LoRA or prefix tuning) are trained over it; alone it only continues "
                + "traffic text and instructions.\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "architecture", String.format(Locale.ROOT, "Llama: hidden %d, %d layers, %d attention heads (%d "
                + "key/value heads, head width %d), SwiGLU %d, RMSNorm, RoPE theta 10000, tied embeddings",
                r.hiddenSize, r.layers, r.heads, r.kvHeads, r.hiddenSize / r.heads, r.intermediateSize));
        row(md, "parameters", String.format(Locale.ROOT, "%,d", result.parameters));
        row(md, "context", r.maxContext + " tokens (trained on windows of " + r.sequenceLength + ")");
        row(md, "weights", String.format(Locale.ROOT, "`model.safetensors`, %s, %,d bytes", r.dtype,
                result.weightBytes));
        row(md, "tokenizer", String.format(Locale.ROOT, "byte-level BPE, %,d tokens%s", result.vocabSize,
                result.naturalVocabSize > 0 ? String.format(Locale.ROOT, ": %,d learned on the natural language, "
                        + "extended with %,d traffic tokens (hex words of %d characters, dotted field names, `<pck>`)",
                        result.naturalVocabSize, result.vocabSize - result.naturalVocabSize, r.hexChunk)
                        : " (given: " + r.tokenizer + ")"));
        row(md, "special tokens", "`<|endoftext|>` (BOS, EOS), `<pad>`");
        md.append('\n');

        if (!result.tokenizerRatios.isEmpty()) {
            md.append("## Tokenizer\n\nTokens per text on held-out test files, the natural-language base against its "
                    + "traffic extension:\n\n| texts | count | base | traffic | fewer |\n|---|---|---|---|---|\n");
            for (TokenizerRatioDTO t : result.tokenizerRatios) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.2fx |%n", t.corpus, t.texts,
                        t.baseTokensPerText, t.trafficTokensPerText, t.ratio));
            }
            md.append('\n');
        }

        md.append("## Data\n\nTexts drawn from the train files only (test files are never trained on)");
        if (r.textsPerDataset > 0) {
            md.append(String.format(Locale.ROOT, ", at most %,d per file (seeded)", r.textsPerDataset));
        }
        md.append(":\n\n| file | kind | texts |\n|---|---|---|\n");
        for (Map.Entry<java.nio.file.Path, Map<String, List<String>>> f : corpus.byFile.entrySet()) {
            for (Map.Entry<String, List<String>> k : f.getValue().entrySet()) {
                md.append(String.format(Locale.ROOT, "| `%s` | %s | %,d |%n", f.getKey().getFileName(), k.getKey(),
                        k.getValue().size()));
            }
        }
        md.append(String.format(Locale.ROOT, "%nEach text is followed by EOS; the stream (%,d tokens, seeded order) is "
                + "cut into %,d training windows and %,d held-out windows.%n%n", result.corpusTokens, windows, heldOut));

        md.append("## Training\n\n| | |\n|---|---|\n");
        row(md, "steps", String.format(Locale.ROOT, "%,d updates of %d windows x %d accumulated (%,d tokens)",
                result.steps, r.batchSize, r.accumulation, result.tokens));
        row(md, "optimizer", String.format(Locale.ROOT, "AdamW (weight decay %s), clip %s; lr %s, %d warm-up steps, "
                + "%s decay to %s x", AdapterTuningJob.trim(r.schedule.weightDecay),
                AdapterTuningJob.trim(r.schedule.maxGradientNorm), AdapterTuningJob.trim(r.schedule.learningRate),
                warmup, r.schedule.decay, AdapterTuningJob.trim(r.schedule.minLearningRateRatio)));
        row(md, "seed", String.valueOf(r.seed));
        row(md, "time", String.format(Locale.ROOT, "%s on this machine's CPU (%.0f tokens/s)",
                AdapterCard.duration(result.trainMillis), result.tokensPerSecond));
        row(md, "loss", String.format(Locale.ROOT, "first step %.3f, last interval %.3f, held-out %.3f (perplexity "
                + "%.1f)", result.firstLoss, result.finalLoss, result.validationLoss, Math.exp(result.validationLoss)));
        md.append("\nTraining loss (mean per checkpoint interval):\n\n| step | loss |\n|---|---|\n");
        List<double[]> curve = result.lossCurve;
        int every = Math.max(1, curve.size() / 20);
        for (int i = 0; i < curve.size(); i++) {
            if (i % every == 0 || i == curve.size() - 1) {
                md.append(String.format(Locale.ROOT, "| %d | %.4f |%n", (long) curve.get(i)[0], curve.get(i)[1]));
            }
        }
        md.append("\n## Reproduce\n\n`tllm:pretrain` with the same files and options (seed ").append(r.seed)
                .append(") writes the same weights; see `examples/recipe/`. Output directory of this run: `")
                .append(Paths.get(result.output).getFileName()).append("`.\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }
}

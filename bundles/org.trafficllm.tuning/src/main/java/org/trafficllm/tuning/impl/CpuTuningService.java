package org.trafficllm.tuning.impl;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.dataset.InstructionSetBuilder;
import org.trafficllm.api.eval.EvaluationService;
import org.trafficllm.api.model.ModelTraining;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.tokenizer.TokenizerMeter;
import org.trafficllm.api.tokenizer.TokenizerTrainer;
import org.trafficllm.api.tuning.PromptFormat;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.TuningListener;
import org.trafficllm.api.tuning.TuningService;
import org.trafficllm.api.tuning.dto.CorpusRequestDTO;
import org.trafficllm.api.tuning.dto.CorpusResultDTO;
import org.trafficllm.api.tuning.dto.PretrainingRequestDTO;
import org.trafficllm.api.tuning.dto.PretrainingResultDTO;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.api.tuning.dto.TuningResultDTO;

/**
 * The tuning service: adapter and pretraining jobs on the calling thread, over the
 * model bundle's training sessions. Base models are the framework's
 * {@code BaseModel} services, or model directories installed as base-model bundles
 * for the length of a job.
 */
@Component(service = TuningService.class)
public class CpuTuningService implements TuningService {
    /** How long a job waits for a base model that is still loading. */
    static final long BASE_MODEL_WAIT_MILLIS = 180_000L;

    private final TuningServices services;

    @Activate
    public CpuTuningService(BundleContext context, @Reference ModelTraining training, @Reference PromptFormat format,
            @Reference EvaluationService evaluation, @Reference TaskCatalog catalog,
            @Reference InstructionSetBuilder instructionSets, @Reference TokenizerTrainer tokenizerTrainer,
            @Reference TokenizerMeter tokenizerMeter) {
        this(new TuningServices(new FrameworkBaseModels(context, BASE_MODEL_WAIT_MILLIS), training, format, evaluation,
                catalog, instructionSets, tokenizerTrainer, tokenizerMeter));
    }

    CpuTuningService(TuningServices services) {
        this.services = services;
    }

    @Override
    public TuningResultDTO tune(TuningRequestDTO request, TuningListener listener) throws TuningException {
        return AdapterTuningJob.start(services, request, listener);
    }

    @Override
    public TuningResultDTO resumeTuning(Path checkpoints, TuningListener listener) throws TuningException {
        return AdapterTuningJob.resume(services, checkpoints, listener);
    }

    @Override
    public PretrainingResultDTO pretrain(PretrainingRequestDTO request, TuningListener listener) throws TuningException {
        return PretrainingJob.start(services, request, listener);
    }

    @Override
    public PretrainingResultDTO resumePretraining(Path checkpoints, TuningListener listener) throws TuningException {
        return PretrainingJob.resume(services, checkpoints, listener);
    }

    @Override
    public CorpusResultDTO writeCorpus(CorpusRequestDTO request) throws TuningException {
        if (request.output == null || request.output.isBlank()) {
            throw new TuningException("no output folder for the corpus files");
        }
        if (request.datasets == null || request.datasets.isEmpty()) {
            throw new TuningException("no dataset files to take texts from");
        }
        List<Path> files = new ArrayList<>();
        request.datasets.forEach(f -> files.add(Paths.get(f)));
        CorpusTexts corpus = CorpusTexts.read(files, services.format(), request.textsPerFile, request.seed);
        Path out = Paths.get(request.output);
        CorpusResultDTO result = new CorpusResultDTO();
        try {
            Files.createDirectories(out);
            for (Map.Entry<String, List<String>> kind : corpus.byKind.entrySet()) {
                String name = kind.getKey().equals(CorpusTexts.NATURAL) ? "natural.txt"
                        : "traffic-" + kind.getKey() + ".txt";
                Path file = out.resolve(name);
                Path tmp = out.resolve("." + name + ".tmp");
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    for (String text : kind.getValue()) {
                        w.write(CorpusTexts.oneLine(text));
                        w.write('\n');
                    }
                }
                CheckpointStore.move(tmp, file);
                result.files.put(file.toString(), (long) kind.getValue().size());
            }
        } catch (IOException e) {
            throw new TuningException(out + ": cannot write corpus: " + e.getMessage(), e);
        }
        return result;
    }
}

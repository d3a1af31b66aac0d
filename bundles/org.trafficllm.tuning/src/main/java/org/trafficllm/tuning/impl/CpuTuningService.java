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

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.trafficllm.api.dataset.InstructionSetBuilder;
import org.trafficllm.api.eval.EvaluationService;
import org.trafficllm.api.model.ModelTraining;
import org.trafficllm.api.task.TaskCatalog;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.dto.TaskDTO;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.tokenizer.TokenizerMeter;
import org.trafficllm.api.tokenizer.TokenizerTrainer;
import org.trafficllm.api.tuning.PromptFormat;
import org.trafficllm.api.tuning.TuningException;
import org.trafficllm.api.tuning.TuningListener;
import org.trafficllm.api.tuning.TuningService;
import org.trafficllm.api.tuning.dto.CorpusRequestDTO;
import org.trafficllm.api.tuning.dto.CorpusResultDTO;
import org.trafficllm.api.tuning.dto.EvaluationRequestDTO;
import org.trafficllm.api.tuning.dto.EvaluationResultDTO;
import org.trafficllm.api.tuning.dto.PretrainingRequestDTO;
import org.trafficllm.api.tuning.dto.PretrainingResultDTO;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.api.tuning.dto.TuningResultDTO;

/**
 * The tuning service: adapter and pretraining jobs on the calling thread, over the
 * model bundle's training sessions. Base models are the framework's
 * {@code BaseModel} services, or model directories installed as base-model bundles
 * for the length of a job. Evaluations run adapter directories the same way, or
 * installed tasks through the task registry when one runs (training needs none).
 */
@Component(service = TuningService.class)
public class CpuTuningService implements TuningService {
    /** How long a job waits for a base model that is still loading. */
    static final long BASE_MODEL_WAIT_MILLIS = 180_000L;

    private final TuningServices services;
    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile TaskRegistry registry;

    @Activate
    public CpuTuningService(BundleContext context, @Reference ModelTraining training, @Reference PromptFormat format,
            @Reference EvaluationService evaluation, @Reference TaskCatalog catalog,
            @Reference InstructionSetBuilder instructionSets, @Reference TokenizerTrainer tokenizerTrainer,
            @Reference TokenizerMeter tokenizerMeter) {
        this(new TuningServices(new FrameworkBaseModels(context, BASE_MODEL_WAIT_MILLIS), training, format, evaluation,
                catalog, instructionSets, tokenizerTrainer, tokenizerMeter), context);
    }

    /** Outside a framework: no installed tasks to evaluate. */
    CpuTuningService(TuningServices services) {
        this(services, null);
    }

    private CpuTuningService(TuningServices services, BundleContext context) {
        this.services = services;
        this.context = context;
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
    public EvaluationResultDTO evaluate(EvaluationRequestDTO request, TuningListener listener) throws TuningException {
        return TestFileEvaluation.run(services, new TestFileEvaluation.InstalledTasks() {
            @Override
            public TaskRegistry registry() {
                return registry;
            }

            @Override
            public TaskDescriptorDTO bundled(TaskDTO task) {
                return bundledDescriptor(task);
            }
        }, request, listener);
    }

    /** The task.json of the installed task bundle, where its {@code TrafficLLM-Task} header points. */
    private TaskDescriptorDTO bundledDescriptor(TaskDTO task) {
        Bundle bundle = context == null ? null : context.getBundle(task.bundleId);
        if (bundle == null) {
            return null;
        }
        String path = bundle.getHeaders("").get(TaskRegistry.TASK_HEADER);
        java.net.URL entry = path == null ? null : bundle.getEntry(path);
        if (entry == null) {
            return null;
        }
        try (java.io.InputStream in = entry.openStream()) {
            return TaskData.TASK_JSON.readValue(in, TaskDescriptorDTO.class);
        } catch (IOException e) {
            return null;
        }
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

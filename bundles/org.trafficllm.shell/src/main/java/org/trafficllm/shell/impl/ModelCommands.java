package org.trafficllm.shell.impl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.model.BaseModelInfo;
import org.trafficllm.api.model.ClassificationRequest;
import org.trafficllm.api.model.ClassificationResult;
import org.trafficllm.api.model.GenerationRequest;
import org.trafficllm.api.model.GenerationResult;

/** {@code tllm:models}, {@code tllm:generate} and {@code tllm:classify} over the loaded base models. */
@Component(service = ModelCommands.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=models",
        "osgi.command.function=generate",
        "osgi.command.function=classify" })
public class ModelCommands {
    private final BundleContext context;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<BaseModel> models = new CopyOnWriteArrayList<>();

    @Activate
    public ModelCommands(BundleContext context) {
        this.context = context;
    }

    @Descriptor("list the loaded base models: architecture, parameters, memory, resident adapters")
    public Object models() throws InterruptedException {
        List<BaseModelInfo> infos = new ArrayList<>();
        for (BaseModel m : BaseModels.settled(context, () -> models)) {
            infos.add(m.info());
        }
        return infos.isEmpty() ? "no base model is loaded" : infos;
    }

    @Descriptor("continue a prompt with a base model, optionally through an adapter")
    public GenerationResult generate(
            @Descriptor("base model name (default: the only or first one)")
            @Parameter(names = { "--model" }, absentValue = "") String model,
            @Descriptor("adapter id (default: the bare base model)")
            @Parameter(names = { "--adapter" }, absentValue = "") String adapter,
            @Descriptor("most new tokens")
            @Parameter(names = { "--max-tokens", "-n" }, absentValue = "32") int maxTokens,
            @Descriptor("sampling temperature, 0 for greedy")
            @Parameter(names = { "--temperature" }, absentValue = "0") double temperature,
            @Descriptor("nucleus sampling threshold")
            @Parameter(names = { "--top-p" }, absentValue = "1") double topP,
            @Descriptor("seed of the sampler")
            @Parameter(names = { "--seed" }, absentValue = "0") long seed,
            @Descriptor("the prompt") String prompt) throws Exception {
        GenerationRequest request = new GenerationRequest(blankToNull(adapter), prompt, maxTokens);
        request.temperature = temperature;
        request.topP = topP;
        request.seed = seed;
        return BaseModels.pick(context, () -> models, model).generate(request);
    }

    @Descriptor("choose which of the given labels continues a text, with a probability for every label")
    public ClassificationResult classify(
            @Descriptor("base model name (default: the only or first one)")
            @Parameter(names = { "--model" }, absentValue = "") String model,
            @Descriptor("adapter id (default: the bare base model)")
            @Parameter(names = { "--adapter" }, absentValue = "") String adapter,
            @Descriptor("the candidate labels, comma separated")
            @Parameter(names = { "--labels", "-l" }, absentValue = "") String labels,
            @Descriptor("the text (prompt) to classify") String text) throws Exception {
        List<String> candidates = new ArrayList<>();
        Arrays.stream(labels.split(",")).map(String::trim).filter(l -> !l.isEmpty()).forEach(candidates::add);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("--labels is required: the candidate labels, comma separated");
        }
        return BaseModels.pick(context, () -> models, model)
                .classify(new ClassificationRequest(blankToNull(adapter), text, candidates));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

package org.trafficllm.tuning.impl;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.tuning.dto.TuningRequestDTO;
import org.trafficllm.model.impl.StandaloneModels;

/**
 * A tuning run in a JVM of its own, for {@link KillAndResumeTest}:
 * {@code tune <train file> <output dir>} starts the test's small LoRA run,
 * {@code resume <checkpoint dir>} continues one.
 */
public final class TuningChild {
    private TuningChild() {
    }

    /** The run the test kills: long enough to be killed between checkpoints, small enough to be quick. */
    static TuningRequestDTO request(Path train, Path output) {
        TuningRequestDTO r = TuningFixtures.request(train, output);
        r.maxSteps = 60;
        r.epochs = 100;
        r.checkpointEvery = 4;
        r.patience = 0;
        return r;
    }

    public static void main(String[] args) throws Exception {
        Path scratch = Paths.get(args[args.length - 1]).toAbsolutePath().getParent()
                .resolve("base-" + ProcessHandle.current().pid());
        try (StandaloneModels models = new StandaloneModels()) {
            BaseModel base = models.load(TuningFixtures.BASE, "1.0.0", TuningFixtures.modelDir(scratch));
            CpuTuningService service = new CpuTuningService(TuningFixtures.services(models,
                    new LocalBaseModels(models).register(TuningFixtures.BASE, base)));
            if (args[0].equals("resume")) {
                service.resumeTuning(Paths.get(args[1]), null);
            } else {
                service.tune(request(Paths.get(args[1]), Paths.get(args[2])), null);
            }
            StandaloneModels.unload(base);
        }
        System.exit(0);
    }
}

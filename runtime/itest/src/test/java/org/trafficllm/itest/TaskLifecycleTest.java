package org.trafficllm.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.trafficllm.api.model.AdapterFiles;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskLifecycle;
import org.trafficllm.api.task.TaskPackager;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.TaskState;
import org.trafficllm.api.task.dto.TaskAnswerDTO;
import org.trafficllm.api.task.dto.TaskDTO;

/**
 * Task bundles over the real llama-tiny base model in the real framework: register,
 * update while eight threads classify without pause, rollback, and the refusals that
 * leave the serving version in place. Expected answers are the base model's own,
 * asked directly with the same fixture adapters.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class TaskLifecycleTest {
    private static final String TRAFFIC = "ip.src: 10.0.0.1, ip.dst: 10.0.0.2, tcp.srcport: 51515, tcp.dstport: 443";
    private static final String LORA = "golden-lora";
    private static final String PREFIX = "golden-prefix";

    @InjectService(timeout = 120_000)
    static BaseModel model;

    @InjectService(timeout = 30_000)
    TaskRegistry registry;

    @InjectService(timeout = 30_000)
    TaskLifecycle lifecycle;

    @InjectService(timeout = 30_000)
    TaskPackager packager;

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path dir;

    static Map<String, Double> goldenV1;
    static Map<String, Double> goldenV2;

    @BeforeAll
    static void goldens() throws Exception {
        model.loadAdapter(LORA, AdapterFiles.of(TaskFixtures.fixtures().resolve("llama-tiny-lora")));
        model.loadAdapter(PREFIX, AdapterFiles.of(TaskFixtures.fixtures().resolve("llama-tiny-prefix")));
        goldenV1 = TaskFixtures.golden(model, LORA, TRAFFIC);
        goldenV2 = TaskFixtures.golden(model, PREFIX, TRAFFIC);
        assertThat(Math.abs(goldenV1.get("normal") - goldenV2.get("normal")))
                .as("the two versions must answer distinguishably").isGreaterThan(1e-3);
    }

    @AfterAll
    static void unloadGoldens() {
        model.unloadAdapter(LORA);
        model.unloadAdapter(PREFIX);
    }

    private TaskAnswerDTO ask(String task) throws TaskException {
        return registry.classify(task, null, List.of(TRAFFIC)).get(0);
    }

    private static void assertAnswers(TaskAnswerDTO a, Map<String, Double> golden) {
        assertThat(a.probabilities).containsOnlyKeys(golden.keySet());
        golden.forEach((label, p) -> assertThat(a.probabilities.get(label)).as(label).isCloseTo(p, within(1e-6)));
        String best = golden.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(a.label).isEqualTo(best);
    }

    @Test
    void updateUnderLoadSwitchesAnswersWithoutAFailureAndRollbackReturns() throws Exception {
        Path v1 = TaskFixtures.pack(packager, dir, "LIVE", "detection", "1.0.0", "llama-tiny-lora", "llama-tiny");
        Path v2 = TaskFixtures.pack(packager, dir, "LIVE", "detection", "2.0.0", "llama-tiny-prefix", "llama-tiny");
        TaskDTO registered = lifecycle.register(v1.toString());
        try {
            assertThat(registered.state).isEqualTo(TaskState.SERVING);
            assertThat(registered.baseModel).isEqualTo("llama-tiny");
            assertThat(registered.peftType).isEqualTo("LORA");
            assertAnswers(ask("LIVE"), goldenV1);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean updated = new AtomicBoolean();
            AtomicLong v1Answers = new AtomicLong();
            AtomicLong v2Answers = new AtomicLong();
            AtomicLong v2AfterUpdate = new AtomicLong();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                threads.execute(() -> {
                    while (running.get()) {
                        boolean startedAfterUpdate = updated.get();
                        try {
                            TaskAnswerDTO a = ask("LIVE");
                            if (a.version.equals("1.0.0")) {
                                assertAnswers(a, goldenV1);
                                v1Answers.incrementAndGet();
                                if (startedAfterUpdate) {
                                    failures.add("a request started after the update returned was answered by 1.0.0");
                                }
                            } else {
                                assertAnswers(a, goldenV2);
                                v2Answers.incrementAndGet();
                                if (startedAfterUpdate) {
                                    v2AfterUpdate.incrementAndGet();
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e.toString());
                        }
                    }
                });
            }
            assertThat(TaskFixtures.eventually(60, () -> v1Answers.get() >= 16)).isTrue();
            TaskDTO after = lifecycle.update("LIVE", v2.toString());
            updated.set(true);
            assertThat(TaskFixtures.eventually(60, () -> v2AfterUpdate.get() >= 16)).isTrue();
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            assertThat(failures).isEmpty();
            assertThat(after.version).isEqualTo("2.0.0");
            assertThat(after.peftType).isEqualTo("PREFIX_TUNING");
            assertThat(v1Answers.get()).isGreaterThanOrEqualTo(16);
            assertThat(v2Answers.get()).isGreaterThanOrEqualTo(16);
            assertAnswers(ask("LIVE"), goldenV2);

            TaskDTO back = lifecycle.rollback("LIVE");
            assertThat(back.version).isEqualTo("1.0.0");
            assertThat(back.bundleVersion).isEqualTo("1.0.0");
            assertAnswers(ask("LIVE"), goldenV1);
        } finally {
            lifecycle.unregister("LIVE");
        }
        assertThat(registry.task("LIVE")).isEmpty();
    }

    @Test
    void anAdapterForAnotherBaseModelIsRefusedAndNothingElseMoves() throws Exception {
        lifecycle.register(TaskFixtures.pack(packager, dir, "KEEP", "detection", "1.0.0", "llama-tiny-lora",
                "llama-tiny").toString());
        try {
            List<String> before = bundles();
            Path foreign = TaskFixtures.pack(packager, dir, "OTHER", "detection", "1.0.0", "llama-tiny-lora", "nano");
            assertThatThrownBy(() -> lifecycle.register(foreign.toString())).isInstanceOf(TaskException.class)
                    .hasMessage(foreign + ": refused: needs base model nano [1.0.0,2.0.0), installed: llama-tiny 1.0.0");
            assertThat(bundles()).isEqualTo(before);
            assertThat(registry.task("OTHER")).isEmpty();
            assertAnswers(ask("KEEP"), goldenV1);
            assertThat(registry.task("KEEP").orElseThrow().state).isEqualTo(TaskState.SERVING);
        } finally {
            lifecycle.unregister("KEEP");
        }
    }

    @Test
    void corruptWeightsAreRefusedAndTheServingVersionKeepsAnswering() throws Exception {
        Path v1 = TaskFixtures.pack(packager, dir, "SAFE", "detection", "1.0.0", "llama-tiny-lora", "llama-tiny");
        Path v2 = TaskFixtures.pack(packager, dir, "SAFE", "detection", "2.0.0", "llama-tiny-prefix", "llama-tiny");
        lifecycle.register(v1.toString());
        try {
            byte[] weights = TaskFixtures.entry(v2, "adapter_model.safetensors");
            byte[] flipped = weights.clone();
            flipped[flipped.length - 1] ^= 1;
            Path badHash = TaskFixtures.replaceEntry(v2, dir.resolve("bad-hash.jar"), "adapter_model.safetensors",
                    flipped, false);
            assertThatThrownBy(() -> lifecycle.update("SAFE", badHash.toString()))
                    .hasMessageStartingWith("org.trafficllm.task.safe 2.0.0: adapter_model.safetensors: SHA-256 is ")
                    .hasMessageEndingWith("; SAFE 1.0.0 keeps serving");
            assertAnswers(ask("SAFE"), goldenV1);

            Path truncated = TaskFixtures.replaceEntry(v2, dir.resolve("truncated.jar"), "adapter_model.safetensors",
                    Arrays.copyOf(weights, weights.length - 64), true);
            assertThatThrownBy(() -> lifecycle.update("SAFE", truncated.toString()))
                    .hasMessageContaining("(org.trafficllm.task.safe 2.0.0)")
                    .hasMessageContaining("adapter_model.safetensors")
                    .hasMessageEndingWith("; SAFE 1.0.0 keeps serving");
            TaskDTO d = registry.task("SAFE").orElseThrow();
            assertThat(d.state).isEqualTo(TaskState.SERVING);
            assertThat(d.version).isEqualTo("1.0.0");
            assertThat(d.bundleVersion).isEqualTo("1.0.0");
            assertThat(d.refusal).contains("adapter_model.safetensors");
            assertAnswers(ask("SAFE"), goldenV1);

            String config = new String(TaskFixtures.entry(v2, "adapter_config.json"), StandardCharsets.UTF_8);
            Path otherShape = TaskFixtures.replaceEntry(v2, dir.resolve("other-shape.jar"), "adapter_config.json",
                    config.replace("\"num_layers\": 2", "\"num_layers\": 3").getBytes(StandardCharsets.UTF_8), true);
            assertThatThrownBy(() -> lifecycle.update("SAFE", otherShape.toString()))
                    .hasMessageContaining("(org.trafficllm.task.safe 2.0.0)")
                    .hasMessageContaining("num_layers 3, this base model has 2")
                    .hasMessageEndingWith("; SAFE 1.0.0 keeps serving");
            assertAnswers(ask("SAFE"), goldenV1);

            Path withClass = TaskFixtures.replaceEntry(v2, dir.resolve("code.jar"), "org/example/Payload.class",
                    new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe}, true);
            assertThatThrownBy(() -> lifecycle.update("SAFE", withClass.toString())).hasMessage(
                    "org.trafficllm.task.safe 2.0.0: carries code (org/example/Payload.class); a task bundle carries "
                            + "data only; SAFE 1.0.0 keeps serving");
            assertAnswers(ask("SAFE"), goldenV1);
        } finally {
            lifecycle.unregister("SAFE");
        }
    }

    private List<String> bundles() {
        List<String> names = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            names.add(b.getBundleId() + " " + b.getSymbolicName() + " " + b.getVersion() + " " + b.getState());
        }
        return names;
    }
}

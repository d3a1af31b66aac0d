package org.trafficllm.eapeft.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.SynchronousBundleListener;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.task.TaskState;
import org.trafficllm.api.task.dto.PackageRequestDTO;
import org.trafficllm.api.task.dto.TaskAnswerDTO;
import org.trafficllm.api.task.dto.TaskDTO;

/** The extender driven by a real framework's bundle events, over a base model stand-in. */
class TaskExtenderTest {
    @TempDir
    Path dir;
    EmbeddedFramework fw;
    Path v1;
    Path v2;

    @BeforeEach
    void start() throws Exception {
        fw = new EmbeddedFramework(dir);
        v1 = TaskJars.pack(dir, "MTD", "1.0.0", "llama-tiny-lora");
        v2 = TaskJars.pack(dir, "MTD", "2.0.0", "llama-tiny-prefix");
    }

    @AfterEach
    void stop() throws Exception {
        fw.close();
    }

    private TaskDTO started(Bundle bundle) throws Exception {
        bundle.start();
        return settled(bundle);
    }

    private TaskDTO settled(Bundle bundle) throws Exception {
        return fw.extender.outcome(bundle).get(10, TimeUnit.SECONDS);
    }

    private String answeringVersion() throws TaskException {
        return fw.extender.classify("MTD", null, List.of("ip.src: 10.0.0.1")).get(0).version;
    }

    private String adapterOf(String version) {
        return fw.model.loaded.stream().filter(id -> id.startsWith("MTD@" + version + "#")).findFirst().orElseThrow();
    }

    @Test
    void servesAStartedTaskBundleAndListsIt() throws Exception {
        TaskDTO d = started(fw.install(v1));
        assertThat(d.state).isEqualTo(TaskState.SERVING);
        assertThat(d.version).isEqualTo("1.0.0");
        assertThat(d.baseModel).isEqualTo("llama-tiny");
        assertThat(d.baseModelVersion).isEqualTo("1.0.0");
        assertThat(d.labels).containsExactly("normal", "malware");
        assertThat(d.keptVersions).containsExactly("1.0.0");
        assertThat(fw.extender.tasks()).extracting(t -> t.id).containsExactly("MTD");

        List<TaskAnswerDTO> answers = fw.extender.classify("mtd", null, List.of("ip.src: 10.0.0.1", "ip.src: 10.0.0.2"));
        assertThat(answers).extracting(a -> a.version).containsExactly("1.0.0", "1.0.0");
        assertThat(answers.get(0).label).isEqualTo("normal");
        assertThat(fw.model.requests.get(0).promptTokenIds)
                .isEqualTo(fw.model.encode("Classify this packet.\n<packet>: ip.src: 10.0.0.1\n"));
        assertThat(fw.model.requests.get(0).labels).containsExactly("normal", "malware");
    }

    @Test
    void newRequestsDuringTheUpdateWindowAreAnsweredByTheOldVersion() throws Exception {
        Bundle bundle = fw.install(v1);
        started(bundle);
        List<String> duringEvents = new CopyOnWriteArrayList<>();
        SynchronousBundleListener probe = event -> {
            if (event.getBundle() == bundle && (event.getType() == BundleEvent.STOPPED
                    || event.getType() == BundleEvent.UNRESOLVED || event.getType() == BundleEvent.UPDATED
                    || event.getType() == BundleEvent.STARTED)) {
                try {
                    duringEvents.add(event.getType() + ":" + answeringVersion());
                } catch (TaskException e) {
                    duringEvents.add(event.getType() + ":" + e.getMessage());
                }
            }
        };
        fw.context.addBundleListener(probe);
        fw.model.loadGate = new CountDownLatch(1);
        fw.model.gatedLoad = id -> id.startsWith("MTD@2.0.0#");
        fw.update(bundle, v2);

        assertThat(duringEvents).containsExactly(BundleEvent.STOPPED + ":1.0.0", BundleEvent.UNRESOLVED + ":1.0.0",
                BundleEvent.UPDATED + ":1.0.0", BundleEvent.STARTED + ":1.0.0");
        assertThat(fw.extender.task("MTD").orElseThrow().state).isEqualTo(TaskState.UPDATING);
        for (int i = 0; i < 5; i++) {
            assertThat(answeringVersion()).isEqualTo("1.0.0");
        }
        fw.model.loadGate.countDown();
        TaskDTO d = settled(bundle);
        assertThat(d.state).isEqualTo(TaskState.SERVING);
        assertThat(d.version).isEqualTo("2.0.0");
        assertThat(answeringVersion()).isEqualTo("2.0.0");
        assertThat(fw.model.unloaded).containsExactly(adapterOf("1.0.0"));
        assertThat(d.keptVersions).containsExactly("1.0.0", "2.0.0");
    }

    @Test
    void aRequestRightAfterStartWaitsForTheTaskStillLoading() throws Exception {
        fw.model.loadGate = new CountDownLatch(1);
        fw.model.gatedLoad = id -> id.startsWith("MTD@1.0.0#");
        Bundle bundle = fw.install(v1);
        bundle.start();
        CompletableFuture<String> early = CompletableFuture.supplyAsync(() -> {
            try {
                return answeringVersion();
            } catch (TaskException e) {
                return e.getMessage();
            }
        });
        Thread.sleep(300);
        assertThat(early).isNotDone();
        fw.model.loadGate.countDown();
        assertThat(early.get(10, TimeUnit.SECONDS)).isEqualTo("1.0.0");
    }

    @Test
    void aRequestThatStartedOnTheOldVersionFinishesOnIt() throws Exception {
        Bundle bundle = fw.install(v1);
        started(bundle);
        fw.model.requestGate = new CountDownLatch(1);
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return answeringVersion();
            } catch (TaskException e) {
                return e.getMessage();
            }
        });
        assertThat(fw.model.requestArrived.await(10, TimeUnit.SECONDS)).isTrue();
        fw.update(bundle, v2);
        assertThat(settled(bundle).version).isEqualTo("2.0.0");
        assertThat(fw.model.unloaded).as("the old adapter stays while its request runs").isEmpty();
        fw.model.requestGate.countDown();
        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("1.0.0");
        assertThat(fw.model.unloaded).containsExactly(adapterOf("1.0.0"));
    }

    @Test
    void aRefusedUpdateLeavesTheOldVersionServingAndSaysWhy() throws Exception {
        Bundle bundle = fw.install(v1);
        started(bundle);
        Path corrupt = TaskJars.rewrite(v2, dir.resolve("corrupt.jar"), entries -> {
            byte[] w = entries.get("adapter_model.safetensors").clone();
            w[w.length - 1] ^= 1;
            entries.put("adapter_model.safetensors", w);
            return entries;
        }, main -> {
        });
        fw.update(bundle, corrupt);
        TaskDTO d = settled(bundle);
        assertThat(d.state).isEqualTo(TaskState.SERVING);
        assertThat(d.version).isEqualTo("1.0.0");
        assertThat(d.bundleVersion).isEqualTo("2.0.0");
        assertThat(d.refusal).startsWith("org.trafficllm.task.mtd 2.0.0: adapter_model.safetensors: SHA-256 is ");
        assertThat(answeringVersion()).isEqualTo("1.0.0");

        fw.model.failLoad = id -> id.startsWith("MTD@2.0.0#");
        fw.update(bundle, v2);
        d = settled(bundle);
        assertThat(d.version).isEqualTo("1.0.0");
        assertThat(d.refusal).contains("(org.trafficllm.task.mtd 2.0.0): adapter_model.safetensors: tensor")
                .contains("base model expects");
        assertThat(answeringVersion()).isEqualTo("1.0.0");
        assertThat(fw.model.unloaded).isEmpty();
    }

    @Test
    void aStopUnregistersTheTaskAndAStartServesItAgain() throws Exception {
        Bundle bundle = fw.install(v1);
        started(bundle);
        bundle.stop();
        TaskDTO d = fw.extender.task("MTD").orElseThrow();
        assertThat(d.state).isEqualTo(TaskState.STOPPED);
        assertThatThrownBy(this::answeringVersion).isInstanceOf(TaskException.class)
                .hasMessage("task 'MTD' is not serving (stopped)");
        assertThat(fw.model.unloaded).containsExactly(adapterOf("1.0.0"));
        assertThat(started(bundle).state).isEqualTo(TaskState.SERVING);
        assertThat(answeringVersion()).isEqualTo("1.0.0");
    }

    @Test
    void uninstallForgetsTheTaskAndItsKeptVersions() throws Exception {
        Bundle bundle = fw.install(v1);
        started(bundle);
        assertThat(fw.work.resolve("tasks/MTD")).isDirectory();
        bundle.uninstall();
        assertThat(fw.extender.tasks()).isEmpty();
        assertThat(fw.work.resolve("tasks/MTD")).doesNotExist();
        assertThatThrownBy(this::answeringVersion).hasMessage("unknown task 'MTD'; installed: none");
    }

    @Test
    void aBundleForAnotherBaseModelDoesNotResolveAndIsListedWithTheReason() throws Exception {
        PackageRequestDTO r = TaskJars.request(dir, "BND", "detection", "1.0.0", "llama-tiny-lora");
        r.baseModel = "nano";
        Bundle bundle = fw.install(Path.of(new TaskBundlePackager().pack(r).jar));
        assertThatThrownBy(bundle::start).isInstanceOf(BundleException.class);
        TaskDTO d = fw.extender.task("BND").orElseThrow();
        assertThat(d.state).isEqualTo(TaskState.REFUSED);
        assertThat(d.refusal).isEqualTo(
                "org.trafficllm.task.bnd 1.0.0: needs base model nano [1.0.0,2.0.0), installed: llama-tiny 1.0.0");
        assertThat(d.baseModel).isEqualTo("nano [1.0.0,2.0.0)");
        assertThat(fw.model.loaded).isEmpty();
    }

    @Test
    void waitsForItsBaseModelServiceThenServes() throws Exception {
        fw.extender.removeBaseModel(fw.model);
        Bundle bundle = fw.install(v1);
        bundle.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fw.extender.task("MTD").orElseThrow().state != TaskState.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fw.extender.task("MTD").orElseThrow().state).isEqualTo(TaskState.WAITING);
        CompletableFuture<TaskDTO> outcome = fw.extender.outcome(bundle);
        fw.extender.addBaseModel(fw.model, Map.of(BaseModel.NAME, "llama-tiny", BaseModel.VERSION, "1.0.0"));
        assertThat(outcome.get(10, TimeUnit.SECONDS).state).isEqualTo(TaskState.SERVING);
        assertThat(answeringVersion()).isEqualTo("1.0.0");

        fw.extender.removeBaseModel(fw.model);
        assertThat(fw.extender.task("MTD").orElseThrow().state).isEqualTo(TaskState.WAITING);
        assertThatThrownBy(this::answeringVersion).hasMessage("task 'MTD' is not serving (waiting)");
    }

    @Test
    void refusesASecondBundleOfTheSameTask() throws Exception {
        started(fw.install(v1));
        PackageRequestDTO r = TaskJars.request(dir, "MTD", "detection", "3.0.0", "llama-tiny-lora");
        r.symbolicName = "com.example.mtd";
        Bundle other = fw.install(Path.of(new TaskBundlePackager().pack(r).jar));
        TaskDTO d = started(other);
        assertThat(d.state).isEqualTo(TaskState.REFUSED);
        assertThat(d.refusal).startsWith("com.example.mtd 3.0.0: task id 'MTD' is already served by bundle ");
        assertThat(answeringVersion()).isEqualTo("1.0.0");
        other.uninstall();
        assertThat(fw.extender.task("MTD").orElseThrow().keptVersions).as("the serving task's versions stay")
                .containsExactly("1.0.0");
    }

    @Test
    void routesOnlyAmongTheTasksServingNow() throws Exception {
        PackageRequestDTO router = TaskJars.request(dir, "NLP", "router", "1.0.0", "llama-tiny-lora");
        started(fw.install(Path.of(new TaskBundlePackager().pack(router).jar)));
        started(fw.install(v1));
        Bundle bnd = fw.install(TaskJars.pack(dir, "BND", "1.0.0", "llama-tiny-prefix"));
        started(bnd);

        var route = fw.extender.route("is there malware here?", null);
        assertThat(lastRequest().labels).containsExactly("BND task", "MTD task");
        assertThat(route.task).isEqualTo("BND");
        assertThat(route.router).isEqualTo("NLP");
        assertThat(lastRequest().promptTokenIds)
                .isEqualTo(fw.model.encode("Which task does this ask for? is there malware here?\n"));

        bnd.uninstall();
        assertThat(fw.extender.route("is there malware here?", TaskKind.DETECTION).task).isEqualTo("MTD");
        assertThat(lastRequest().labels).containsExactly("MTD task");
        assertThatThrownBy(() -> fw.extender.route("make some traffic", TaskKind.GENERATION))
                .hasMessage("route: no generation task is serving to route to");
    }

    @Test
    void aGenerationTaskGeneratesForOneOfItsLabelsAndDetectionTasksDoNot() throws Exception {
        PackageRequestDTO gen = TaskJars.request(dir, "BTG", "generation", "1.0.0", "llama-tiny-lora");
        started(fw.install(Path.of(new TaskBundlePackager().pack(gen).jar)));
        TaskAnswerDTO a = fw.extender.generate("BTG", null, "malware", 16);
        assertThat(a.version).isEqualTo("1.0.0");
        assertThat(a.label).isEqualTo("malware");
        assertThat(a.text).startsWith("generated by BTG@1.0.0#");
        assertThat(a.promptTokens).isEqualTo(fw.model.encode("Please generate a packet of malware traffic.\n").length);
        assertThatThrownBy(() -> fw.extender.generate("BTG", null, "Zeus", 16))
                .hasMessage("task 'BTG' generates normal, malware; not 'Zeus'");
        started(fw.install(v1));
        assertThatThrownBy(() -> fw.extender.generate("MTD", null, "normal", 16))
                .hasMessage("task 'MTD' is a detection task; generation needs a generation task");
        assertThatThrownBy(() -> fw.extender.classify("BTG", null, List.of("x")))
                .hasMessage("task 'BTG' is a generation task; classification needs a detection task");
    }

    @Test
    void whenSignaturesBecomeRequiredUnsignedUpdatesAreRefusedAndTheServingVersionStays() throws Exception {
        Bundle bundle = fw.install(v1);
        started(bundle);
        Path store = TaskJars.keystore(dir, "vendor", "CN=Vendor", "secret");
        Path trust = TaskJars.truststore(dir, store, "vendor", "secret");
        fw.extender.modified(EmbeddedFramework.extenderConfig(true, trust.toString(), "secret", 3));

        fw.update(bundle, v2);
        TaskDTO d = settled(bundle);
        assertThat(d.version).isEqualTo("1.0.0");
        assertThat(d.refusal).isEqualTo("org.trafficllm.task.mtd 2.0.0: unsigned (README.md), and this runtime "
                + "requires task bundles signed by a key trusted in " + trust);

        PackageRequestDTO signed = TaskJars.request(dir, "MTD", "detection", "2.0.0", "llama-tiny-prefix");
        signed.keystore = store.toString();
        signed.storePassword = "secret";
        fw.update(bundle, Path.of(new TaskBundlePackager().pack(signed).jar));
        d = settled(bundle);
        assertThat(d.version).isEqualTo("2.0.0");
        assertThat(d.signer).isEqualTo("CN=Vendor");
        assertThat(d.refusal).isNull();
    }

    private org.trafficllm.api.model.ClassificationRequest lastRequest() {
        List<org.trafficllm.api.model.ClassificationRequest> all = new ArrayList<>(fw.model.requests);
        return all.get(all.size() - 1);
    }
}

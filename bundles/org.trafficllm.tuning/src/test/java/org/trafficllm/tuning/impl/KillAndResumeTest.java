package org.trafficllm.tuning.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL at a random moment after its first checkpoint, then
 * resumed, ends with the same adapter bytes as a run never interrupted. Each run is a
 * JVM of its own, so nothing survives the kill but the files.
 */
class KillAndResumeTest {
    @TempDir
    Path tmp;

    private Process child(Path log, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        for (String p : new String[] {"trafficllm.fixtures", "ai.djl.offline", "ai.djl.pytorch.num_threads",
                "ai.djl.pytorch.num_interop_threads"}) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.add(TuningChild.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void finish(Process p, Path log) throws Exception {
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("child did not finish: " + Files.readString(log));
        }
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    }

    @Test
    void killedAtARandomMomentAfterTheFirstCheckpointAndResumedGivesTheSameAdapter() throws Exception {
        Path train = TuningFixtures.dataset(tmp.resolve("data"), "tst_detection_flow", 20, 4, 5);
        Path whole = tmp.resolve("whole");
        Path killed = tmp.resolve("killed");
        Path log = tmp.resolve("child.log");
        finish(child(log, "tune", train.toString(), whole.toString()), log);

        long seed = System.nanoTime();
        Random random = new Random(seed);
        Process p = child(log, "tune", train.toString(), killed.toString());
        Path latest = killed.resolve("checkpoints/latest");
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(latest) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(latest).as("first checkpoint; " + Files.readString(log)).exists();
        Thread.sleep(random.nextInt(1500));
        assertThat(p.isAlive()).as("the run is still going when killed (seed %d)", seed).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(killed.resolve("checkpoints/result.json")).doesNotExist();
        String killedAt = Files.readString(latest).trim();

        finish(child(log, "resume", killed.resolve("checkpoints").toString()), log);
        assertThat(Files.readAllBytes(killed.resolve("adapter_model.safetensors")))
                .as("adapter after a kill at %s (seed %d) and resume", killedAt, seed)
                .isEqualTo(Files.readAllBytes(whole.resolve("adapter_model.safetensors")));
        assertThat(killed.resolve("adapter_config.json")).hasSameTextualContentAs(whole.resolve("adapter_config.json"));
        assertThat(new File(killed.resolve("checkpoints").toString()).list((d, n) -> n.endsWith(".tmp"))).isEmpty();
    }
}

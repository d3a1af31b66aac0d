package org.trafficllm.eapeft.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeptVersionsTest {
    private static final String D1 = "1".repeat(64);
    private static final String D2 = "2".repeat(64);
    private static final String D3 = "3".repeat(64);

    @TempDir
    Path dir;

    private Path jar(String content) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "x", ".jar"), content);
    }

    private List<String> versions(KeptVersions kept) {
        return kept.versions("MTD").stream().map(KeptVersions.Kept::version).toList();
    }

    @Test
    void keepsAStackOfWhatServedAndRollsBackOneStepAtATime() throws Exception {
        KeptVersions kept = new KeptVersions(dir.resolve("tasks"), 5);
        kept.keep("MTD", "1.0.0", D1, jar("one"));
        kept.keep("MTD", "2.0.0", D2, jar("two"));
        kept.keep("MTD", "2.0.0", D2, jar("two again"));
        assertThat(versions(kept)).containsExactly("1.0.0", "2.0.0");

        KeptVersions.Kept target = kept.rollbackTarget("MTD", D2, true).orElseThrow();
        assertThat(target.version()).isEqualTo("1.0.0");
        assertThat(Files.readString(target.jar())).isEqualTo("one");
        List<Path> aside = kept.setAside("MTD", target);
        assertThat(versions(kept)).containsExactly("1.0.0");
        kept.keep("MTD", "1.0.0", D1, jar("one reloaded"));
        assertThat(versions(kept)).containsExactly("1.0.0");
        kept.discard(aside);
        assertThat(kept.rollbackTarget("MTD", D1, true)).isEmpty();
    }

    @Test
    void aFailedRollbackPutsTheNewerVersionsBack() throws Exception {
        KeptVersions kept = new KeptVersions(dir.resolve("tasks"), 5);
        kept.keep("MTD", "1.0.0", D1, jar("one"));
        kept.keep("MTD", "2.0.0", D2, jar("two"));
        List<Path> aside = kept.setAside("MTD", kept.rollbackTarget("MTD", D2, true).orElseThrow());
        kept.restore(aside);
        assertThat(versions(kept)).containsExactly("1.0.0", "2.0.0");
    }

    @Test
    void whenTheBundleHoldsARefusedUpdateTheTargetIsTheServingVersion() throws Exception {
        KeptVersions kept = new KeptVersions(dir.resolve("tasks"), 5);
        kept.keep("MTD", "1.0.0", D1, jar("one"));
        kept.keep("MTD", "2.0.0", D2, jar("two"));
        assertThat(kept.rollbackTarget("MTD", D2, false).orElseThrow().version()).isEqualTo("2.0.0");
        assertThat(kept.serving("MTD", D1).orElseThrow().version()).isEqualTo("1.0.0");
    }

    @Test
    void keepsAtMostTheLimitAndForgetsOnUninstall() throws Exception {
        KeptVersions kept = new KeptVersions(dir.resolve("tasks"), 2);
        kept.keep("MTD", "1.0.0", D1, jar("one"));
        kept.keep("MTD", "2.0.0", D2, jar("two"));
        kept.keep("MTD", "3.0.0", D3, jar("three"));
        assertThat(versions(kept)).containsExactly("2.0.0", "3.0.0");
        kept.forget("MTD");
        assertThat(kept.versions("MTD")).isEmpty();
        assertThat(dir.resolve("tasks/MTD")).doesNotExist();
    }
}

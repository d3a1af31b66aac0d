package org.trafficllm.dataset.layout.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.task.Granularity;

/** How class folders are found; reading captures is covered with the capture bundle. */
class ClassFolderLayoutTest {
    @TempDir
    Path root;

    @Test
    void eachTopFolderIsAClassWithItsCapturesAtAnyDepth() throws Exception {
        touch("Neris/a.pcap", "Neris/day2/b.pcapng", "Virut/c.cap", "Virut/notes.txt", "README.md");
        RecordingContext context = new RecordingContext(root, Granularity.PACKET);
        Map<String, List<Path>> classes = ClassFolderLayout.classes(root, context);
        assertThat(classes.keySet()).containsExactly("Neris", "Virut");
        assertThat(classes.get("Neris")).containsExactly(root.resolve("Neris/a.pcap"), root.resolve("Neris/day2/b.pcapng"));
        assertThat(classes.get("Virut")).containsExactly(root.resolve("Virut/c.cap"));
        assertThat(context.skips).containsExactly("Virut/notes.txt: not a capture: no .pcap, .pcapng or .cap name");
    }

    @Test
    void benignAndMalwareFoldersHoldTheClassesAsUstcTfc2016Does() throws Exception {
        touch("Benign/Facetime.pcap", "Benign/Gmail/g1.pcap", "Benign/Gmail/g2.pcap", "Malware/Tinba.pcap",
                "Malware/LICENSE");
        RecordingContext context = new RecordingContext(root, Granularity.FLOW);
        Map<String, List<Path>> classes = ClassFolderLayout.classes(root, context);
        assertThat(classes.keySet()).containsExactly("Facetime", "Gmail", "Tinba");
        assertThat(classes.get("Gmail")).hasSize(2);
        assertThat(context.skips).containsExactly("Malware/LICENSE: not a capture: no .pcap, .pcapng or .cap name");

        context.options.put("levels", "1");
        assertThat(ClassFolderLayout.classes(root, context).keySet()).containsExactly("Benign", "Malware");
    }

    @Test
    void theSharedUstcCapturesAreTwoClasses() throws Exception {
        Path ustc = org.trafficllm.dataset.impl.SharedData.path("ustc-tfc2016/pcap");
        RecordingContext context = new RecordingContext(ustc, Granularity.PACKET);
        assertThat(ClassFolderLayout.classes(ustc, context)).containsOnlyKeys("Facetime", "Tinba");
        assertThat(context.skips).isEmpty();
    }

    private void touch(String... paths) throws IOException {
        for (String path : paths) {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[0]);
        }
    }
}

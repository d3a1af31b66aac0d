package org.trafficllm.shell.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.dataset.SplitMode;

class PreprocessCommandsTest {

    @Test
    void splitWordsMapToModes() {
        assertThat(PreprocessCommands.splitMode("group")).isEqualTo(SplitMode.GROUP);
        assertThat(PreprocessCommands.splitMode("Flow")).isEqualTo(SplitMode.GROUP);
        assertThat(PreprocessCommands.splitMode("packet")).isEqualTo(SplitMode.SAMPLE);
        assertThatThrownBy(() -> PreprocessCommands.splitMode("random")).hasMessage("--split random: expected group or sample");
    }

    @Test
    void keyValueListsKeepTheirOrderAndRejectPairsWithoutAKey() {
        assertThat(PreprocessCommands.pairs("column=category, min=5", "--options")).containsExactly(
                org.assertj.core.api.Assertions.entry("column", "category"), org.assertj.core.api.Assertions.entry("min", "5"));
        assertThat(PreprocessCommands.pairs("", "--options")).isEmpty();
        assertThat(PreprocessCommands.pairs("column=app_proto,keep=TLS,QUIC", "--options")).containsExactly(
                org.assertj.core.api.Assertions.entry("column", "app_proto"),
                org.assertj.core.api.Assertions.entry("keep", "TLS,QUIC"));
        assertThatThrownBy(() -> PreprocessCommands.pairs("column", "--options"))
                .hasMessage("--options column: expected key=value[,key=value], got 'column'");
    }

    @Test
    void aPromptFileIsReadWholeOrRefusedWithItsName(@TempDir Path temp) throws Exception {
        Path prompt = temp.resolve("prompt.txt");
        Files.writeString(prompt, "Is it a VPN? {labels}\n<{granularity}>: {traffic}");
        assertThat(PreprocessCommands.text(prompt.toString(), "--prompt-file"))
                .isEqualTo("Is it a VPN? {labels}\n<{granularity}>: {traffic}");
        assertThatThrownBy(() -> PreprocessCommands.text(temp.resolve("none.txt").toString(), "--prompt-file"))
                .hasMessage("--prompt-file " + temp.resolve("none.txt") + ": no such file");
        Path latin = temp.resolve("latin.txt");
        Files.write(latin, new byte[] { 'V', 'P', 'N', (byte) 0xE9, '\n' });
        assertThatThrownBy(() -> PreprocessCommands.text(latin.toString(), "--prompt-file"))
                .hasMessage("--prompt-file " + latin + ": not UTF-8 text");
    }
}

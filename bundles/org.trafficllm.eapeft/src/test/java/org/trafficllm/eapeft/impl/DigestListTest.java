package org.trafficllm.eapeft.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.task.TaskException;

class DigestListTest {
    private static final String A = "a".repeat(64);
    private static final String B = "0123456789abcdef".repeat(4);

    @Test
    void formatsSortedClausesAndParsesThemBack() throws TaskException {
        String header = DigestList.format(Map.of("task.json", A, "adapter_model.safetensors", B));
        assertThat(header).isEqualTo("adapter_model.safetensors;sha-256=" + B + ",task.json;sha-256=" + A);
        assertThat(DigestList.parse("x.jar", header)).containsExactly(Map.entry("adapter_model.safetensors", B),
                Map.entry("task.json", A));
    }

    @Test
    void quotesNamesWithSeparatorsAndReadsThemBack() throws TaskException {
        String header = DigestList.format(Map.of("cards/model card;v2.md", A));
        assertThat(header).startsWith("\"cards/model card;v2.md\";");
        assertThat(DigestList.parse("x.jar", header)).containsOnlyKeys("cards/model card;v2.md");
    }

    @Test
    void toleratesSpacesAndUpperCaseHex() throws TaskException {
        assertThat(DigestList.parse("x.jar", " task.json ; SHA-256=" + A.toUpperCase() + " , b.bin;sha-256=" + B))
                .containsEntry("task.json", A).containsEntry("b.bin", B);
    }

    @Test
    void refusesMissingShortDuplicateAndEmptyDigests() {
        assertThatThrownBy(() -> DigestList.parse("x.jar", null)).isInstanceOf(TaskException.class)
                .hasMessage("x.jar: the manifest has no TrafficLLM-Digests header");
        assertThatThrownBy(() -> DigestList.parse("x.jar", "task.json;sha-256=abc"))
                .hasMessage("x.jar: digest list: 'task.json' has no valid sha-256 value");
        assertThatThrownBy(() -> DigestList.parse("x.jar", "task.json"))
                .hasMessage("x.jar: digest list: 'task.json' has no valid sha-256 value");
        assertThatThrownBy(() -> DigestList.parse("x.jar", "t;sha-256=" + A + ",t;sha-256=" + B))
                .hasMessage("x.jar: digest list: 't' is listed twice");
        assertThatThrownBy(() -> DigestList.parse("x.jar", "\"open;sha-256=" + A))
                .hasMessageContaining("unterminated quote");
    }

    @Test
    void sha256OfKnownInput() {
        // FIPS 180-2 test vector for "abc"
        assertThat(DigestList.sha256("abc".getBytes()))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}

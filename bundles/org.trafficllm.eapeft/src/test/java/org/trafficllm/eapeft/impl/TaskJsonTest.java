package org.trafficllm.eapeft.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;
import org.trafficllm.api.text.MaskedIdentifier;

class TaskJsonTest {
    private static final String TASK = "{\"id\":\"EVD\",\"name\":\"VPN\",\"kind\":\"detection\",\"granularity\":\"flow\","
            + "\"renderer\":\"flow-bytes\",\"labels\":[\"vpn\",\"non-vpn\"],\"promptTemplate\":\"Is it? {traffic}\"";

    private static TaskDescriptorDTO parse(String more) throws TaskException {
        return TaskJson.descriptor("task.json", (TASK + more + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTaskServesCapturesMaskedAsItsAdapterWasTrained() throws Exception {
        // written before the field existed: the builder's default, everything masked
        assertThat(TaskJson.mask(parse(""))).containsExactly(MaskedIdentifier.values());
        assertThat(TaskJson.mask(parse(",\"mask\":null"))).containsExactly(MaskedIdentifier.values());
        assertThat(TaskJson.mask(parse(",\"mask\":[]"))).isEmpty();
        assertThat(TaskJson.mask(parse(",\"mask\":[\"ip\",\"PORT\"]"))).containsExactly(MaskedIdentifier.IP,
                MaskedIdentifier.PORT);
    }

    @Test
    void anUnknownOrEmptyMaskEntryIsRefusedInOneLine() {
        assertThatThrownBy(() -> parse(",\"mask\":[\"SSID\"]")).isInstanceOf(TaskException.class)
                .hasMessageStartingWith("task.json: not a task descriptor: ").hasMessageContaining("SSID")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> parse(",\"mask\":[null]"))
                .hasMessage("task.json: mask holds an empty entry (known: MAC, IP, PORT, TIME)");
    }
}

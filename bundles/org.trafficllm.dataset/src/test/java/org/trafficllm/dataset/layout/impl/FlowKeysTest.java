package org.trafficllm.dataset.layout.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.dto.FlowKeyDTO;

class FlowKeysTest {
    @Test
    void bothDirectionsGiveOneKey() {
        String forward = FlowKeys.of(6, "192.168.2.126", 45380, "161.117.13.29", 80);
        String backward = FlowKeys.of(6, "161.117.13.29", 80, "192.168.2.126", 45380);
        assertThat(forward).isEqualTo(backward).isEqualTo("6 a1750d1d:80 c0a8027e:45380");
        assertThat(FlowKeys.of(17, "192.168.2.126", 45380, "161.117.13.29", 80)).isNotEqualTo(forward);
    }

    @Test
    void aFlowTableKeyMatchesTheSameTupleWrittenOtherwise() {
        FlowKeyDTO flow = new FlowKeyDTO();
        flow.ipVersion = 6;
        flow.protocol = 17;
        flow.clientAddress = "fe80:0:0:0:9bd:81dd:2fdc:5750";
        flow.clientPort = 1900;
        flow.serverAddress = "ff02::c";
        flow.serverPort = 1900;
        assertThat(FlowKeys.of(flow)).isEqualTo(FlowKeys.of(17, "ff02::c", 1900, "fe80::9bd:81dd:2fdc:5750", 1900));
    }

    @Test
    void onlyLiteralsAreAddressesSoNoNameIsLookedUp() {
        assertThat(FlowKeys.address("example.org")).isNull();
        assertThat(FlowKeys.address("10.0.0.1")).containsExactly(10, 0, 0, 1);
        assertThat(FlowKeys.of(6, "10.0.0.1", 1, "::1", 2)).isNull();
        assertThat(FlowKeys.of(6, "host", 1, "10.0.0.1", 2)).isNull();
    }
}

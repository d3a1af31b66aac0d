package org.trafficllm.capture.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.PcapWriter;

/**
 * An exception a packet or flow handler throws leaves {@code read} and
 * {@code readFlows} as it was thrown (callers cancel work that way), and the
 * handler is not called again; a damaged file still hands over the flows read
 * before the damage.
 */
class HandlerFailureTest {
    private final PcapCaptureService captures = new PcapCaptureService();
    private final FlowAssemblyService flows = new FlowAssemblyService(captures);

    @TempDir
    Path dir;

    /** Stands for a caller's own unchecked exception, e.g. a cancelled build. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled by the handler");
        }
    }

    @Test
    void anExceptionFromThePacketHandlerLeavesReadUnchanged() throws Exception {
        Path file = write("six.pcap");
        Cancelled cancelled = new Cancelled();
        List<Long> seen = new ArrayList<>();
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        Throwable thrown = catchThrowable(() -> captures.read(file, packet -> {
            seen.add(packet.number());
            if (packet.number() == 2) {
                throw cancelled;
            }
        }));

        assertThat(thrown).isSameAs(cancelled);
        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(seen).containsExactly(1L, 2L);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        assertThat(captures.read(file, packet -> { }).packets).as("the file was closed and reads again").isEqualTo(6);
    }

    @Test
    void anExceptionFromTheFlowHandlerDuringTheReadLeavesReadFlowsUnchanged() throws Exception {
        Path file = write("six.pcap");
        Cancelled cancelled = new Cancelled();
        List<FlowView> handed = new ArrayList<>();

        // the reset flow ends while the file is read; the open one would end at the flush
        Throwable thrown = catchThrowable(() -> flows.readFlows(file, null, null, flow -> {
            handed.add(flow);
            throw cancelled;
        }));

        assertThat(thrown).isSameAs(cancelled);
        assertThat(thrown.getSuppressed()).as("the handler was not called again at the flush").isEmpty();
        assertThat(handed).singleElement().satisfies(flow -> assertThat(flow.key().clientPort).isEqualTo(1000));
    }

    @Test
    void anExceptionFromTheFlowHandlerAtTheEndLeavesReadFlowsUnchanged() throws Exception {
        Path file = write("six.pcap");
        Cancelled cancelled = new Cancelled();
        List<FlowView> handed = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> flows.readFlows(file, null, null, flow -> {
            handed.add(flow);
            if (flow.key().clientPort == 2000) {
                throw cancelled;
            }
        }));

        assertThat(thrown).isSameAs(cancelled);
        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(handed).extracting(flow -> flow.key().clientPort).containsExactly(1000, 2000);
    }

    @Test
    void aDamagedFileStillHandsOverTheFlowsBeforeTheDamage() throws Exception {
        Path file = write("cut.pcap");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        List<FlowView> handed = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> flows.readFlows(file, null, null, handed::add));

        assertThat(thrown).isInstanceOf(CaptureException.class).hasMessageContaining("truncated record");
        assertThat(((CaptureException) thrown).packetsRead()).isEqualTo(5);
        assertThat(handed).extracting(flow -> flow.key().clientPort).containsExactly(1000, 2000);
        assertThat(handed.get(1).packets()).isEqualTo(2);
    }

    /**
     * Six TCP segments between 10.0.0.1 and 10.0.0.2: port 1000 opens and is reset
     * (packets 1, 2, 4), port 2000 opens and stays open (packets 3, 5, 6). The reset
     * flow ends during the read once its 2 s linger has passed (packet 5 is 3 s later).
     */
    private Path write(String name) throws CaptureException {
        Path file = dir.resolve(name);
        long second = 1_000_000_000L;
        long start = 1_700_000_000L * second;
        try (PcapWriter writer = captures.createPcap(file, 1, 65_535)) {
            frame(writer, start, true, 1000, 0x002);
            frame(writer, start + 1_000_000, false, 1000, 0x012);
            frame(writer, start + 2_000_000, true, 2000, 0x002);
            frame(writer, start + 3_000_000, true, 1000, 0x004);
            frame(writer, start + 3 * second, false, 2000, 0x012);
            frame(writer, start + 4 * second, true, 2000, 0x010);
        }
        return file;
    }

    private static void frame(PcapWriter writer, long time, boolean fromClient, int clientPort, int flags)
            throws CaptureException {
        TestFrames t = TestFrames.frame().ethernet(0x0800);
        t.bytes(0x45, 0).u16(40).u16(1).u16(0).bytes(64, 6).u16(0);
        t.bytes(fromClient ? new int[] {10, 0, 0, 1, 10, 0, 0, 2} : new int[] {10, 0, 0, 2, 10, 0, 0, 1});
        t.tcp(fromClient ? clientPort : 80, fromClient ? 80 : clientPort, 1, 1, flags);
        byte[] bytes = t.build();
        writer.write(time, bytes, 0, bytes.length, bytes.length);
    }
}

package org.trafficllm.capture.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.LiveCapture;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.dto.LiveCaptureOptions;

/** Captures real loopback traffic made with plain sockets (needs capture rights, e.g. root). */
class LiveCaptureTest {
    private final PcapCaptureService service = new PcapCaptureService();

    @Test
    void capturesUdpAndTcpOnLoopbackWithAFilter() throws Exception {
        InetAddress localhost = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket udpServer = new DatagramSocket(0, localhost);
                DatagramSocket udpClient = new DatagramSocket(0, localhost);
                ServerSocket tcpServer = new ServerSocket(0, 1, localhost)) {
            int udpPort = udpServer.getLocalPort();
            int tcpPort = tcpServer.getLocalPort();
            List<PacketView> captured = new CopyOnWriteArrayList<>();
            LiveCaptureOptions options = new LiveCaptureOptions();
            options.filter = "udp port " + udpPort + " or tcp port " + tcpPort;
            try (LiveCapture capture = service.capture("lo", options, p -> captured.add(p.detach()))) {
                for (int i = 0; i < 3; i++) {
                    byte[] query = ("query " + i).getBytes(StandardCharsets.US_ASCII);
                    udpClient.send(new DatagramPacket(query, query.length, localhost, udpPort));
                    DatagramPacket received = new DatagramPacket(new byte[100], 100);
                    udpServer.receive(received);
                    udpServer.send(new DatagramPacket(received.getData(), received.getLength(), received.getSocketAddress()));
                    udpClient.receive(new DatagramPacket(new byte[100], 100));
                }
                Thread server = new Thread(() -> {
                    try (Socket s = tcpServer.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                        byte[] request = in.readNBytes(5);
                        out.write(request);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                server.start();
                try (Socket client = new Socket(localhost, tcpPort)) {
                    client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                    assertThat(client.getInputStream().readNBytes(5)).asString().isEqualTo("hello");
                }
                server.join(5000);
                waitFor(captured, p -> p.ipProtocol() == 6 && (p.tcpFlags() & 0x001) != 0, 2);
                waitFor(captured, p -> p.ipProtocol() == 17, 6);
                assertThat(capture.isRunning()).isTrue();
            }
            List<PacketView> udp = captured.stream().filter(p -> p.ipProtocol() == 17).toList();
            assertThat(udp).hasSize(6).allSatisfy(p -> {
                assertThat(p.linkType()).isEqualTo(LinkLayer.ETHERNET);
                assertThat(List.of(p.sourcePort(), p.destinationPort())).contains(udpPort);
                assertThat(new String(p.array(), p.payloadOffset(), p.payloadLength(), StandardCharsets.US_ASCII))
                        .startsWith("query ");
            });
            List<PacketView> tcp = captured.stream().filter(p -> p.ipProtocol() == 6).toList();
            assertThat(tcp.get(0).tcpFlags() & 0x012).as("SYN first").isEqualTo(0x002);
            assertThat(tcp.get(0).destinationPort()).isEqualTo(tcpPort);
            assertThat(tcp.get(1).tcpFlags() & 0x012).as("SYN-ACK second").isEqualTo(0x012);
            assertThat(tcp).filteredOn(p -> p.payloadLength() == 5).hasSize(2);
            assertThat(captured).allSatisfy(p -> assertThat(p.timestampNanos()).isPositive());
            assertThat(captured).extracting(PacketView::number).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void stopsAtThePacketLimitAndCountsPackets() throws Exception {
        InetAddress localhost = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket sink = new DatagramSocket(0, localhost); DatagramSocket source = new DatagramSocket(0, localhost)) {
            LiveCaptureOptions options = new LiveCaptureOptions();
            options.filter = "udp dst port " + sink.getLocalPort();
            options.maxPackets = 2;
            List<PacketView> captured = new CopyOnWriteArrayList<>();
            LiveCapture capture = service.capture("lo", options, p -> captured.add(p.detach()));
            for (int i = 0; i < 5; i++) {
                source.send(new DatagramPacket(new byte[10], 10, localhost, sink.getLocalPort()));
            }
            assertThat(capture.awaitStop(10, TimeUnit.SECONDS)).isTrue();
            assertThat(capture.isRunning()).isFalse();
            assertThat(capture.failure()).isNull();
            assertThat(captured).hasSize(2);
            assertThat(capture.summary().packets).isEqualTo(2);
            assertThat(capture.summary().wireBytes).isEqualTo(2 * (14 + 20 + 8 + 10));
            capture.close();
        }
    }

    @Test
    void aQuietCaptureStopsAtItsTimeLimitAndOnClose() throws Exception {
        LiveCaptureOptions options = new LiveCaptureOptions();
        options.filter = "udp port 9";
        options.durationMillis = 200;
        LiveCapture timed = service.capture("lo", options, p -> { });
        assertThat(timed.awaitStop(5, TimeUnit.SECONDS)).isTrue();
        assertThat(timed.summary().packets).isZero();

        options.durationMillis = 0;
        LiveCapture open = service.capture("lo", options, p -> { });
        assertThat(open.awaitStop(100, TimeUnit.MILLISECONDS)).isFalse();
        long started = System.nanoTime();
        open.close();
        assertThat(open.isRunning()).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void wrongInterfaceOrFilterFailsAtOnce() {
        assertThatThrownBy(() -> service.capture("no-such-if0", new LiveCaptureOptions(), p -> { }))
                .isInstanceOf(CaptureException.class).hasMessageStartingWith("no-such-if0: cannot capture: ");
        LiveCaptureOptions options = new LiveCaptureOptions();
        options.filter = "port banana";
        assertThatThrownBy(() -> service.capture("lo", options, p -> { }))
                .isInstanceOf(CaptureException.class).hasMessageStartingWith("lo: invalid filter 'port banana': ");
    }

    private static void waitFor(List<PacketView> captured, Predicate<PacketView> condition, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (captured.stream().filter(condition).count() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}

package org.trafficllm.bench;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.trafficllm.api.capture.LiveCapture;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.capture.PcapWriter;
import org.trafficllm.api.capture.dto.LiveCaptureOptions;
import org.trafficllm.capture.impl.PcapCaptureService;

/**
 * Makes the example captures in {@code examples/captures}: real loopback traffic
 * between plain Java sockets, recorded by the project's own live capture (on
 * {@code lo}, filtered to the exchange's ports) and written with its pcap writer.
 * Needs capture rights (root or CAP_NET_RAW).
 */
public final class ExampleCaptures {
    private static final InetAddress LOCALHOST = InetAddress.getLoopbackAddress();

    private ExampleCaptures() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples/captures");
        Files.createDirectories(dir);
        PcapCaptureService captures = new PcapCaptureService();
        http(captures, dir.resolve("http-get.pcap"));
        dns(captures, dir.resolve("dns-query.pcap"));
        refused(captures, dir.resolve("tcp-refused.pcap"));
    }

    /** A connection attempt to a port nobody listens on: SYN, then RST from the kernel. */
    private static void refused(PcapCaptureService captures, Path file) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, LOCALHOST)) {
            port = probe.getLocalPort();
        }
        int closed = port;
        record(captures, file, "tcp port " + closed, p -> (p.tcpFlags() & 0x004) != 0, 1, () -> {
            try (Socket s = new Socket(LOCALHOST, closed)) {
                throw new IllegalStateException("port " + closed + " unexpectedly accepted a connection");
            } catch (java.net.ConnectException expected) {
                // The refusal is the traffic this capture is about.
            }
        });
    }

    /** One HTTP/1.1 GET and its response over a fresh TCP connection, closed by both sides. */
    private static void http(PcapCaptureService captures, Path file) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOCALHOST)) {
            int port = server.getLocalPort();
            record(captures, file, "tcp port " + port, p -> (p.tcpFlags() & 0x001) != 0, 2, () -> {
                Thread serving = new Thread(() -> serveOnce(server));
                serving.start();
                try (Socket client = new Socket(LOCALHOST, port)) {
                    OutputStream out = client.getOutputStream();
                    out.write(("GET /index.html HTTP/1.1\r\nHost: localhost:" + port
                            + "\r\nUser-Agent: trafficllm-example\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    client.getInputStream().readAllBytes();
                }
                serving.join(5000);
            });
        }
    }

    private static void serveOnce(ServerSocket server) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            while (!request.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                request.write(b);
            }
            byte[] body = "<html><body><h1>TrafficLLM example</h1></body></html>\n".getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DNS A query for example.test and an answer with 192.0.2.10, over UDP between two local sockets. */
    private static void dns(PcapCaptureService captures, Path file) throws Exception {
        try (DatagramSocket resolver = new DatagramSocket(0, LOCALHOST); DatagramSocket client = new DatagramSocket(0, LOCALHOST)) {
            int port = resolver.getLocalPort();
            record(captures, file, "udp port " + port, p -> true, 2, () -> {
                byte[] query = dnsQuery();
                client.send(new DatagramPacket(query, query.length, LOCALHOST, port));
                DatagramPacket received = new DatagramPacket(new byte[512], 512);
                resolver.receive(received);
                byte[] answer = dnsAnswer(received.getData(), received.getLength());
                resolver.send(new DatagramPacket(answer, answer.length, received.getSocketAddress()));
                client.receive(new DatagramPacket(new byte[512], 512));
            });
        }
    }

    private static byte[] dnsQuery() {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[] {0x1f, 0x2e, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : new String[] {"example", "test"}) {
            q.write(label.length());
            q.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        q.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return q.toByteArray();
    }

    private static byte[] dnsAnswer(byte[] query, int length) {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        a.write(query, 0, 2);
        a.writeBytes(new byte[] {(byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0});
        a.write(query, 12, length - 12);
        a.writeBytes(new byte[] {(byte) 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, (byte) 192, 0, 2, 10});
        return a.toByteArray();
    }

    private interface Exchange {
        void run() throws Exception;
    }

    /** Captures on lo while {@code exchange} runs, until {@code count} packets matched {@code done}, then writes the pcap. */
    private static void record(PcapCaptureService captures, Path file, String filter, Predicate<PacketView> done,
            int count, Exchange exchange) throws Exception {
        List<PacketView> packets = new CopyOnWriteArrayList<>();
        LiveCaptureOptions options = new LiveCaptureOptions();
        options.filter = filter;
        try (LiveCapture capture = captures.capture("lo", options, p -> packets.add(p.detach()))) {
            exchange.run();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (packets.stream().filter(done).count() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
        }
        try (PcapWriter writer = captures.createPcap(file, packets.get(0).linkType(), 65535)) {
            for (PacketView p : packets) {
                writer.write(p);
            }
        }
        System.out.printf("%s: %d packets (%s)%n", file, packets.size(), filter);
    }
}

package org.trafficllm.capture.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.FlowTable;
import org.trafficllm.api.capture.FlowView;
import org.trafficllm.api.capture.dto.FlowKeyDTO;
import org.trafficllm.api.capture.dto.FlowTableOptions;

/**
 * Reads every capture of the nDPI and Suricata corpora: each parses to the end or
 * fails with one line naming the file and place, within a time limit. The flows
 * found in the nDPI captures are matched against nDPI's own flow list.
 */
class CaptureCorpusTest {
    private static final long PER_FILE_SECONDS = 20;
    private static final Map<String, Integer> PROTOCOLS = Map.ofEntries(Map.entry("TCP", 6), Map.entry("UDP", 17),
            Map.entry("ICMP", 1), Map.entry("ICMPV6", 58), Map.entry("IGMP", 2), Map.entry("AH", 51),
            Map.entry("ESP", 50), Map.entry("SCTP", 132), Map.entry("OSPF", 89), Map.entry("PGM", 113),
            Map.entry("PIM", 103), Map.entry("VRRP", 112), Map.entry("GRE", 47));

    private static ExecutorService executor;
    private final PcapCaptureService service = new PcapCaptureService();
    private final FlowAssemblyService flows = new FlowAssemblyService(service);

    @BeforeAll
    static void start() {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "corpus-reader");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        executor.shutdownNow();
    }

    /** Outcome of one file: flows found, or the failure. */
    private record Outcome(Path file, long packets, Set<String> flowKeys, CaptureException failure, long delivered) {
    }

    private Outcome read(Path file) throws Exception {
        Future<Outcome> future = executor.submit(() -> {
            Set<String> keys = new HashSet<>();
            long[] delivered = {0};
            FlowTable table = flows.newTable(new FlowTableOptions(), f -> keys.add(key(f)));
            try {
                long packets = service.read(file, p -> {
                    delivered[0]++;
                    table.packet(p);
                }).packets;
                table.flush();
                return new Outcome(file, packets, keys, null, delivered[0]);
            } catch (CaptureException e) {
                table.flush();
                return new Outcome(file, e.packetsRead(), keys, e, delivered[0]);
            }
        });
        try {
            return future.get(PER_FILE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError(file + ": no result within " + PER_FILE_SECONDS + " s");
        }
    }

    private static String key(FlowView f) {
        FlowKeyDTO k = f.key();
        return key(k.protocol, k.clientAddress, k.clientPort, k.serverAddress, k.serverPort);
    }

    private static String key(int protocol, String a, int aPort, String b, int bPort) {
        String x = canonical(a) + "/" + aPort;
        String y = canonical(b) + "/" + bPort;
        return protocol + " " + (x.compareTo(y) <= 0 ? x + " " + y : y + " " + x);
    }

    private static String canonical(String address) {
        try {
            return InetAddress.getByName(address).getHostAddress();
        } catch (IOException e) {
            // nDPI printed a few addresses of damaged packets that are not valid literals; they match nothing.
            return address;
        }
    }

    private static List<Path> captures(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)"))
                    .sorted().toList();
        }
    }

    @Test
    void everyCaptureParsesOrFailsWithOneLineAndNdpiFlowsMatch() throws Exception {
        Path data = TestData.root();
        List<Path> ndpi = captures(data.resolve("ndpi/pcap"));
        List<Path> suricata = captures(data.resolve("suricata-verify/tests"));
        assertThat(ndpi).hasSizeGreaterThan(500);
        assertThat(suricata).hasSizeGreaterThan(1400);
        assertIndexedPcapsAreCovered(data, suricata);

        Map<String, Outcome> ndpiOutcomes = new HashMap<>();
        List<Outcome> failures = new ArrayList<>();
        long packets = 0;
        long started = System.nanoTime();
        for (Path file : concat(ndpi, suricata)) {
            Outcome outcome = read(file);
            packets += outcome.packets();
            if (outcome.failure() != null) {
                failures.add(outcome);
                String message = outcome.failure().getMessage();
                assertThat(message).as("one line").doesNotContain("\n").doesNotContain("\r");
                assertThat(message).startsWith(file + ": ");
                assertThat(outcome.failure().packetsRead()).as(message).isEqualTo(outcome.delivered());
            } else {
                assertThat(outcome.delivered()).isEqualTo(outcome.packets());
            }
            if (file.startsWith(data.resolve("ndpi"))) {
                ndpiOutcomes.put(file.getFileName().toString(), outcome);
            }
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("corpus: %d files, %d packets, %d failed with a message, %d ms%n",
                ndpi.size() + suricata.size(), packets, failures.size(), elapsedMillis);
        failures.forEach(f -> System.out.println("  " + f.failure().getMessage()));

        double rate = matchNdpiFlows(data, ndpiOutcomes);
        assertThat(rate).isGreaterThanOrEqualTo(0.99);
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void assertIndexedPcapsAreCovered(Path data, List<Path> suricata) throws IOException {
        Set<Path> read = new HashSet<>(suricata);
        Pattern pcaps = Pattern.compile("\"pcaps\":\\s*\\[([^\\]]*)\\]");
        Pattern quoted = Pattern.compile("\"([^\"]+)\"");
        int referenced = 0;
        for (String line : Files.readAllLines(data.resolve("suricata-verify/INDEX.jsonl"), StandardCharsets.UTF_8)) {
            Matcher m = pcaps.matcher(line);
            if (m.find()) {
                Matcher q = quoted.matcher(m.group(1));
                while (q.find()) {
                    Path pcap = data.resolve("suricata-verify").resolve(q.group(1));
                    if (Files.exists(pcap)) {
                        referenced++;
                        assertThat(read).as("indexed pcap %s", pcap).contains(pcap);
                    }
                }
            }
        }
        assertThat(referenced).isGreaterThan(1000);
    }

    private static double matchNdpiFlows(Path data, Map<String, Outcome> outcomes) throws IOException {
        List<String> lines = Files.readAllLines(data.resolve("ndpi/flow_labels.csv"), StandardCharsets.UTF_8);
        int total = 0;
        int matched = 0;
        Map<String, Integer> missesByFile = new TreeMap<>();
        List<String> missExamples = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (!f[1].equals("1")) {
                continue;
            }
            Outcome outcome = outcomes.get(f[0]);
            assertThat(outcome).as("label file %s was read", f[0]).isNotNull();
            int protocol = PROTOCOLS.containsKey(f[3]) ? PROTOCOLS.get(f[3]) : Integer.parseInt(f[3]);
            String key = key(protocol, f[4], Integer.parseInt(f[5]), f[7], Integer.parseInt(f[8]));
            total++;
            if (outcome.flowKeys().contains(key)) {
                matched++;
            } else {
                missesByFile.merge(f[0], 1, Integer::sum);
                if (missExamples.size() < 40) {
                    missExamples.add(f[0] + " " + key);
                }
            }
        }
        double rate = (double) matched / total;
        System.out.printf("ndpi flows: %d of %d labelled 5-tuples found (%.2f%%)%n", matched, total, 100 * rate);
        System.out.println("  misses by file: " + missesByFile);
        missExamples.forEach(m -> System.out.println("  missed " + m));
        return rate;
    }
}

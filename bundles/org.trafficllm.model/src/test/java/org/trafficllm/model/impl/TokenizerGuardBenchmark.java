package org.trafficllm.model.impl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * What the close guard of {@link TextTokenizer} costs on the encode path: encodes per
 * second through {@code TextTokenizer.encode} (read lock, closed check, then DJL's
 * tokenizer) against DJL's {@code HuggingFaceTokenizer.encode} called directly on a
 * second instance of the same {@code tokenizer.json}, on one thread, the two
 * alternating run by run; median of the runs. Texts: a CSIC request as TrafficLLM's
 * JSON and a TCP packet as traffic words, the prompts the tasks encode.
 *
 * <p>Arguments: the report file to write.
 */
public final class TokenizerGuardBenchmark {
    private static final int RUNS = 9;
    private static final int CALLS = 20_000;
    private static final String REQUEST = "{\"method\": \"POST\", \"url\": \"http://localhost:PORT_1/tienda1/publico/"
            + "registro.jsp\", \"body\": \"modo=registro&login=teena&password=EnraNCiAR&nombre=Julio&apellidos="
            + "Guardiol+Sim%F3&email=heuser%40prensahp.mx&dni=31293475C&direccion=Calle+Rejas%2C+23%2C+4%3FB&ciudad="
            + "Montiel&cp=08183&provincia=Guadalajara&ntc=315877120463864&B1=Registrar\"}";
    private static final String PACKET = "frame.encap_type: 1, frame.time: TIME_1, frame.len: 583, eth.dst: MAC_1, "
            + "eth.src: MAC_2, ip.version: 4, ip.hdr_len: 20, ip.len: 569, ip.ttl: 64, ip.proto: 6, ip.src: IP_1, "
            + "ip.dst: IP_2, tcp.srcport: PORT_1, tcp.dstport: PORT_2, tcp.len: 517, tcp.flags: 0x0018, "
            + "tcp.window_size_value: 502, data.data: 16030102000100 01fc0303a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
            + "9abcdef0123456789abcdef0123456789abcdef20c0ffee00112233445566778899aabbccddeeff0011223344556677";

    private TokenizerGuardBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench-tokenizer.md");
        StringBuilder report = new StringBuilder();
        try (EngineExecutor engine = new EngineExecutor(1);
                TextTokenizer guarded = engine.call(() -> TextTokenizer.open(Fixtures.tokenizer()));
                HuggingFaceTokenizer direct = engine.call(() -> HuggingFaceTokenizer.newInstance(Fixtures.tokenizer(),
                        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false")))) {
            report.append("| text | tokens | direct (DJL) µs per encode | guarded µs per encode | guarded / direct |\n");
            report.append("|---|---|---|---|---|\n");
            for (String[] text : new String[][] {{"CSIC request, JSON", REQUEST}, {"TCP packet, traffic words", PACKET}}) {
                String t = text[1];
                if (!Arrays.equals(guarded.encode(t), toInts(direct.encode(t, false, false).getIds()))) {
                    throw new IllegalStateException("the two tokenizers disagree on " + text[0]);
                }
                for (int w = 0; w < 3; w++) {
                    time(() -> guarded.encode(t));
                    time(() -> direct.encode(t, false, false).getIds());
                }
                long[] g = new long[RUNS];
                long[] d = new long[RUNS];
                for (int r = 0; r < RUNS; r++) {
                    if (r % 2 == 0) {
                        g[r] = time(() -> guarded.encode(t));
                        d[r] = time(() -> direct.encode(t, false, false).getIds());
                    } else {
                        d[r] = time(() -> direct.encode(t, false, false).getIds());
                        g[r] = time(() -> guarded.encode(t));
                    }
                }
                double gm = median(g) / 1e3 / CALLS;
                double dm = median(d) / 1e3 / CALLS;
                report.append(String.format(Locale.ROOT, "| %s (%d characters) | %d | %.2f | %.2f | %.3f |%n", text[0],
                        t.length(), guarded.encode(t).length, dm, gm, gm / dm));
            }
        }
        report.append(String.format(Locale.ROOT, "%nOne thread, %,d encodes per run, median of %d runs after 3 "
                + "warm-up runs each, the two alternating.%n", CALLS, RUNS));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report.toString());
        System.out.print(report);
    }

    private static long time(Runnable call) {
        long start = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        return System.nanoTime() - start;
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }
}

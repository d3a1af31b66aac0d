package org.trafficllm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

import org.trafficllm.api.text.HttpRequestParser;
import org.trafficllm.api.text.HttpRequestRenderer;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.text.impl.HttpRequestShapeText;
import org.trafficllm.text.impl.HttpRequestText;

/**
 * What the argument shape of {@code http-request-shape} costs: requests per second for
 * parse + render of every request of the three CSIC 2010 files on one thread, every
 * identifier masked, once with {@code http-request} and once with
 * {@code http-request-shape}, and for rendering alone over the parsed requests held in
 * memory; wall time and the thread's CPU time, and the characters the shape adds. The
 * peer is the same shape computed by Python's standard library
 * ({@code bench/scripts/request-shape.py}) in one {@code python3} process over the same
 * requests; its texts are checked against ours by length and CRC-32. Writes its section of
 * BENCHMARKS.md.
 *
 * <p>Arguments: the data root (or {@code TRAFFICLLM_DATA}), the file to write
 * (BENCHMARKS.md) and the peer's script.
 */
public final class RequestShapeBenchmark {
    private static final String SECTION = "## Request shape: http-request-shape against http-request";
    private static final String SKIP = "request.shape.benchmark.skip";
    /** Where CSIC's requests start, as the text bundle's tests split them. */
    private static final Pattern REQUEST_LINE = Pattern.compile("(GET|POST|PUT) http");
    /**
     * Untimed passes of each renderer first. One pass takes about 0.1 to 0.3 s; in a trial
     * of 40 passes without warm-up the thread's CPU time per pass stopped falling (JIT) by
     * about the 8th.
     */
    private static final int WARMUP = 10;
    private static final List<String> RENDERERS = List.of(TrafficRendererService.HTTP_REQUEST,
            TrafficRendererService.HTTP_REQUEST_SHAPE);
    private static final long TIMEOUT_SECONDS = 600;

    private RequestShapeBenchmark() {
    }

    /** Totals of one pass: requests, those the parser rejected, characters written. */
    private record Pass(long requests, long rejected, long characters) {
    }

    /** Characters and CRC-32 of the shape texts, each followed by a line feed in the CRC. */
    private record Shapes(long characters, long crc) {
    }

    /**
     * What the Python peer printed: its version, requests, its texts, the median wall and
     * thread CPU time of a pass; and the wall time of the whole process.
     */
    private record Peer(String version, long requests, Shapes shapes, long nanos, long cpuNanos, long processNanos) {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : System.getenv("TRAFFICLLM_DATA"));
        Path output = Path.of(args.length > 1 ? args[1] : "BENCHMARKS.md");
        Path script = Path.of(args.length > 2 ? args[2] : "bench/scripts/request-shape.py");
        List<Path> files = csicFiles(data.resolve("csic2010"));
        List<String> raw = new ArrayList<>();
        for (Path file : files) {
            raw.addAll(requests(file));
        }
        System.out.printf("%d requests in %d files%n", raw.size(), files.size());

        HttpRequestText http = new HttpRequestText();
        List<HttpRequestRenderer> renderers = List.of(http, new HttpRequestShapeText());
        RenderOptions options = new RenderOptions();
        options.mask = EnumSet.allOf(MaskedIdentifier.class);
        List<Measured<Pass>> whole = Measured.alternating("parse + render", WARMUP, RENDERERS,
                r -> parseAndRender(raw, http, renderers.get(r), options));
        List<HttpRequestDTO> parsed = parsed(raw, http);
        List<Measured<Pass>> alone = Measured.alternating("render only", WARMUP, RENDERERS,
                r -> renderOnly(parsed, renderers.get(r), options));
        Shapes ours = shapes(parsed, http, renderers.get(1), options);
        Peer python = python(script, raw);

        Comparison<Pass> shape = new Comparison<>(RENDERERS.get(0), RENDERERS.get(1), whole, alone);
        String section = section(files, shape, ours, python);
        System.out.println(section);
        BenchmarksFile.replaceSection(output, SECTION, section);
    }

    private static List<Path> csicFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".txt.gz")).sorted().toList();
        }
    }

    /** The raw requests of one file, each from its request line up to the next, lines joined by CRLF. */
    private static List<String> requests(Path file) throws IOException {
        List<String> requests = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.ISO_8859_1))) {
            StringBuilder request = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (REQUEST_LINE.matcher(line).lookingAt() && request.length() > 0) {
                    requests.add(request.toString());
                    request.setLength(0);
                }
                request.append(line).append("\r\n");
            }
            if (request.length() > 0) {
                requests.add(request.toString());
            }
        }
        return requests;
    }

    private static Timed<Pass> parseAndRender(List<String> raw, HttpRequestParser parser, HttpRequestRenderer renderer,
            RenderOptions options) {
        long rejected = 0;
        long characters = 0;
        Stopwatch watch = new Stopwatch();
        for (String request : raw) {
            try {
                characters += renderer.render(parser.parse(request), options).length();
            } catch (TextFormatException e) {
                rejected++;
            }
        }
        return watch.stop(new Pass(raw.size(), rejected, characters));
    }

    /** The requests the parser reads, kept for {@link #renderOnly}; the others are printed. */
    private static List<HttpRequestDTO> parsed(List<String> raw, HttpRequestParser parser) {
        List<HttpRequestDTO> parsed = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            try {
                parsed.add(parser.parse(raw.get(i)));
            } catch (TextFormatException e) {
                System.out.printf("request %d: %s%n", i + 1, e.getMessage());
            }
        }
        return parsed;
    }

    private static Timed<Pass> renderOnly(List<HttpRequestDTO> requests, HttpRequestRenderer renderer,
            RenderOptions options) {
        long characters = 0;
        Stopwatch watch = new Stopwatch();
        for (HttpRequestDTO request : requests) {
            characters += renderer.render(request, options).length();
        }
        return watch.stop(new Pass(requests.size(), 0, characters));
    }

    /** Our shape texts: what {@code shaped} writes before {@code plain}'s text. */
    private static Shapes shapes(List<HttpRequestDTO> requests, HttpRequestRenderer plain, HttpRequestRenderer shaped,
            RenderOptions options) {
        CRC32 crc = new CRC32();
        long characters = 0;
        for (HttpRequestDTO request : requests) {
            String text = shaped.render(request, options);
            String shape = text.substring(0, text.length() - plain.render(request, options).length()) + "\n";
            crc.update(shape.getBytes(StandardCharsets.ISO_8859_1));
            characters += shape.length() - 1;
        }
        return new Shapes(characters, crc.getValue());
    }

    /**
     * Runs the peer's script on {@code raw}, written to a temporary file with a NUL between
     * requests, and reads the {@code name value} lines it prints.
     */
    private static Peer python(Path script, List<String> raw) throws IOException, InterruptedException {
        Path requests = Files.createTempFile("csic", ".txt");
        Path printed = Files.createTempFile("request-shape", ".txt");
        try {
            Files.writeString(requests, String.join("\0", raw), StandardCharsets.ISO_8859_1);
            long start = System.nanoTime();
            Process process = new ProcessBuilder("python3", script.toString(), requests.toString(),
                    Integer.toString(Measured.RUNS)).redirectOutput(printed.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(script + ": timed out after " + TIMEOUT_SECONDS + " s");
            }
            long processNanos = System.nanoTime() - start;
            if (process.exitValue() != 0) {
                throw new IOException(script + ": exit status " + process.exitValue());
            }
            Map<String, String> values = new HashMap<>();
            for (String line : Files.readAllLines(printed, StandardCharsets.UTF_8)) {
                String[] nameValue = line.split(" ", 2);
                if (nameValue.length == 2) {
                    values.put(nameValue[0], nameValue[1]);
                }
            }
            for (String name : List.of("python", "requests", "characters", "crc32", "seconds", "cpu_seconds")) {
                if (!values.containsKey(name)) {
                    throw new IOException(script + ": printed no '" + name + "' line");
                }
            }
            return new Peer(values.get("python"), Long.parseLong(values.get("requests")),
                    new Shapes(Long.parseLong(values.get("characters")), Long.parseLong(values.get("crc32"))),
                    nanos(values.get("seconds")), nanos(values.get("cpu_seconds")), processNanos);
        } finally {
            Files.deleteIfExists(requests);
            Files.deleteIfExists(printed);
        }
    }

    private static long nanos(String seconds) {
        return Math.round(Double.parseDouble(seconds) * 1e9);
    }

    private static String section(List<Path> files, Comparison<Pass> shape, Shapes ours, Peer python)
            throws IOException, InterruptedException {
        Pass parsing = shape.whole().get(1).totals();
        long held = shape.alone().get(1).totals().requests();
        long shapeCpuNanos = shape.addedCpuNanos();
        StringBuilder sb = new StringBuilder(BenchmarksFile.heading(SECTION, RequestShapeBenchmark.class, SKIP));
        sb.append(String.format("Input: the CSIC 2010 files (`csic2010/`: %s), %,d requests, split where a line starts "
                + "`GET http`, `POST http` or `PUT http` and read as ISO-8859-1; %,d of them not parsed. Every "
                + "identifier masked (IP, port); one thread. Our times are the median of %d runs after %d warm-up "
                + "passes, the two renderers alternating run by run.%n%n", String.join(", ",
                        files.stream().map(f -> "`" + f.getFileName() + "`").toList()),
                parsing.requests(), parsing.rejected(), Measured.RUNS, WARMUP));
        sb.append("| pipeline | wall time | requests/s | CPU time of the thread | requests/s on CPU time "
                + "| characters per request |\n");
        sb.append("|---|---|---|---|---|---|\n");
        sb.append(shape.rows("parse + render", "the parsed requests held in memory", Pass::requests,
                p -> String.format("%.1f", p.characters() / (double) p.requests())));
        sb.append(String.format("| the shape alone: `http-request-shape` less `http-request`, render only "
                + "| %s | %.1f |%n",
                Measured.cells(shape.addedNanos(), shapeCpuNanos, held), ours.characters() / (double) held));
        sb.append(String.format("| Python %s, `bench/scripts/request-shape.py`: the same shape texts from the split "
                + "requests, standard library (`time.perf_counter`, `time.thread_time`; median of %d passes after 1) "
                + "| %s | %.1f |%n", python.version(), Measured.RUNS,
                Measured.cells(python.nanos(), python.cpuNanos(), python.requests()),
                python.shapes().characters() / (double) python.requests()));
        sb.append(String.format("| the whole `python3` process: start-up, reading and splitting the requests, %d "
                + "passes | %.3f s | | | | |%n", Measured.RUNS + 1, python.processNanos() / 1e9));
        sb.append('\n').append(shape.cost("shape", "requests", "with parsing")).append(' ')
                .append(shape.spread("with parsing"));
        sb.append(String.format(" The shape adds %.1f characters per request (%,d in all) and costs %.2f µs of CPU "
                + "time per request: the difference of the two renderers' medians, rendering alone (both write the same "
                + "JSON into one builder, so the difference is the shape's own work).%n", ours.characters() / (double) held,
                ours.characters(), shapeCpuNanos / 1e3 / held));
        sb.append(String.format("%nAgainst Python: our shape-only cost (that difference) is **%.3f×** Python's time "
                + "for the same texts on CPU time (%.2f µs against %.2f µs per request; %.3f× on wall time); the "
                + "whole `http-request-shape` render, JSON included, takes %.3f× Python's CPU time for the shape alone. "
                + "Python's texts %s. Python starts from the split requests (URL, header lines, body), as our render "
                + "starts from parsed ones; it decodes values with `urllib.parse.unquote_plus` and classifies each "
                + "distinct character of a value once.%n",
                shapeCpuNanos / (double) python.cpuNanos(), shapeCpuNanos / 1e3 / held,
                python.cpuNanos() / 1e3 / python.requests(), shape.addedNanos() / (double) python.nanos(),
                shape.alone().get(1).medianCpu() / (double) python.cpuNanos(), agreement(ours, python, held)));
        return sb.toString();
    }

    private static String agreement(Shapes ours, Peer python, long requests) {
        if (python.requests() == requests && python.shapes().equals(ours)) {
            return String.format("are ours to the character (%,d characters, the same CRC-32)", ours.characters());
        }
        return String.format("differ from ours: %,d requests and %,d characters against our %,d and %,d, CRC-32 "
                + "%08x against %08x", python.requests(), python.shapes().characters(), requests, ours.characters(),
                python.shapes().crc(), ours.crc());
    }
}

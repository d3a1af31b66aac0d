package org.trafficllm.dataset.layout.impl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.CollectionType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.dataset.DatasetLayout;
import org.trafficllm.api.dataset.DatasetLayoutService;
import org.trafficllm.api.dataset.LayoutContext;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.api.task.TaskKind;
import org.trafficllm.api.text.HttpRequestRenderer;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * The CSIC 2010 HTTP dataset: raw HTTP/1.1 requests, one after the other, each
 * starting at a request line ({@code GET http://… HTTP/1.1}), headers up to a blank
 * line, then for POST and PUT one body line. A file whose name starts with
 * {@code normal} holds normal requests, one starting with {@code anomalous} attacks.
 * Each request becomes TrafficLLM's web-attack sample, rendered by the text
 * bundle's {@code http-request} renderer (the JSON object
 * {@code {"method","url","body"}}), or on request by {@code http-request-shape}
 * (the same JSON after each argument's name, length and character classes), labelled
 * {@code normal} or {@code abnormal} (the words of TrafficLLM's WAD prompt).
 *
 * <p>Identical texts stay on one side of the split (the builder's rule). CSIC's
 * generator also sends one form's values several ways (as a GET query and as a POST
 * body, to {@code registro.jsp} and to {@code editar.jsp}), so texts that differ only
 * in method and page carry the same values. The layout option
 * {@code group=parameters} keeps such requests together too: their group is the
 * parameter string (the query, else the body); a request with neither stands alone.
 * The default, {@code group=request}, groups identical texts only.
 *
 * <p>Text before a file's first request line, and a request whose header section
 * holds a line that is no header, are left out and counted. A damaged gzip stream
 * stops the build: its requests would silently go missing from one class.
 */
@Component(service = DatasetLayout.class)
@DatasetLayoutService(name = CsicRequestLayout.NAME, datasets = {"csic-2010", "csic2010"})
public class CsicRequestLayout implements DatasetLayout {
    static final String NAME = "csic-2010";
    static final String RENDERER = TrafficRendererService.HTTP_REQUEST;
    static final String NORMAL = "normal";
    static final String ABNORMAL = "abnormal";

    private static final Pattern REQUEST_LINE = Pattern.compile(
            "(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|TRACE|CONNECT) (https?://\\S*) (HTTP/\\d\\.\\d)");

    private final HttpRequestRenderer renderer;

    /** Every HTTP request renderer installed: a build may ask for any of them by name. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    volatile List<Map.Entry<Map<String, Object>, HttpRequestRenderer>> renderers = List.of();

    /** @param renderer the default, TrafficLLM's request JSON ({@value #RENDERER}) */
    @Activate
    public CsicRequestLayout(@Reference(name = "renderer", target = "(" + TrafficRendererService.NAME + "="
            + TrafficRendererService.HTTP_REQUEST + ")") HttpRequestRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public Set<Granularity> granularities() {
        return Set.of(Granularity.PACKET);
    }

    @Override
    public String renderer(Granularity granularity, TaskKind kind) throws DatasetException {
        if (granularity != Granularity.PACKET) {
            throw new DatasetException(NAME + ": a CSIC sample is one HTTP request; there are no flows");
        }
        return RENDERER;
    }

    @Override
    public String renderer(Granularity granularity, TaskKind kind, String requested) throws DatasetException {
        String own = renderer(granularity, kind);
        return LayoutRenderers.choose(requested, own, renderers, "CSIC requests");
    }

    @Override
    public void read(LayoutContext context) throws IOException {
        List<Path> files = InputFiles.files(context.input(), file -> label(file) != null);
        if (files.isEmpty()) {
            throw new DatasetException(context.input() + ": no CSIC file (a name starting with normal or anomalous)");
        }
        boolean byParameters = groupByParameters(context);
        HttpRequestRenderer chosen = LayoutRenderers.resolve(context.renderer(), RENDERER, renderer, renderers);
        context.labels(List.of(NORMAL, ABNORMAL));
        RenderOptions options = new RenderOptions();
        options.mask = context.mask() ? EnumSet.allOf(MaskedIdentifier.class) : EnumSet.noneOf(MaskedIdentifier.class);
        long total = 0;
        for (Path file : files) {
            total += InputFiles.size(file);
        }
        long before = 0;
        for (Path file : files) {
            before += read(file, label(file), context, chosen, options, byParameters, before, total);
        }
        context.progress(total, total, "bytes");
    }

    /** Reads one file; returns its size for the progress count. */
    private long read(Path file, String label, LayoutContext context, HttpRequestRenderer renderer,
            RenderOptions options, boolean byParameters, long before, long total) throws IOException {
        InputFiles.Opened in = InputFiles.open(file);
        long lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1),
                1 << 16)) {
            Request request = null;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                Matcher start = REQUEST_LINE.matcher(line);
                if (start.matches()) {
                    emit(request, label, context, renderer, options, byParameters);
                    request = new Request(file, lineNumber, start.group(1), start.group(2), start.group(3));
                } else if (request == null) {
                    if (!line.isBlank()) {
                        context.skip(file.getFileName() + ": line " + lineNumber,
                                "no request line: text before the first request");
                    }
                } else {
                    request.line(line, lineNumber);
                }
                if ((lineNumber & 0xfff) == 0) {
                    context.progress(before + in.fileBytesRead(), total, "bytes");
                }
            }
            emit(request, label, context, renderer, options, byParameters);
        } catch (DatasetException e) {
            throw e;
        } catch (IOException e) {
            throw InputFiles.damaged(file, e, "after line " + lineNumber, in);
        }
        return InputFiles.size(file);
    }

    private static void emit(Request request, String label, LayoutContext context, HttpRequestRenderer renderer,
            RenderOptions options, boolean byParameters) throws DatasetException {
        if (request == null) {
            return;
        }
        if (request.malformed != null) {
            context.skip(request.file.getFileName() + ": line " + request.startLine, request.malformed);
            return;
        }
        context.sample(label, byParameters ? request.parameters() : null, renderer.render(request.dto(), options));
    }

    /** Whether a form's values are one group ({@code group=parameters}) or only identical texts (default). */
    private static boolean groupByParameters(LayoutContext context) throws DatasetException {
        return LayoutOptions.group(context, "request", "parameters").equals("parameters");
    }

    static String label(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.startsWith("normal")) {
            return NORMAL;
        }
        if (name.startsWith("anomalous")) {
            return ABNORMAL;
        }
        return null;
    }

    /** One request while its lines are read. */
    private static final class Request {
        final Path file;
        final long startLine;
        final String method;
        final String url;
        final String version;
        final List<String> headers = new ArrayList<>();
        final StringBuilder body = new StringBuilder();
        boolean inBody;
        String malformed;

        Request(Path file, long startLine, String method, String url, String version) {
            this.file = file;
            this.startLine = startLine;
            this.method = method;
            this.url = url;
            this.version = version;
        }

        void line(String line, long lineNumber) {
            if (!inBody) {
                if (line.isEmpty()) {
                    inBody = true;
                } else if (line.indexOf(':') <= 0) {
                    if (malformed == null) {
                        malformed = "malformed header: line " + lineNumber + " is no 'Name: value' header";
                    }
                } else {
                    headers.add(line);
                }
            } else if (!line.isEmpty()) {
                if (body.length() > 0) {
                    body.append('\n');
                }
                body.append(line);
            }
        }

        /** The query string, else the body; {@code null} when the request has neither. */
        String parameters() {
            int q = url.indexOf('?');
            String query = q < 0 ? "" : url.substring(q + 1);
            String values = query.isEmpty() ? body.toString() : query;
            return values.isEmpty() ? null : "parameters:" + values;
        }

        HttpRequestDTO dto() {
            HttpRequestDTO dto = new HttpRequestDTO();
            dto.method = method;
            dto.url = url;
            dto.version = version;
            dto.headers = headers;
            dto.body = body.toString();
            return dto;
        }
    }
}

package org.trafficllm.text.impl;

import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.trafficllm.api.text.HttpRequestParser;
import org.trafficllm.api.text.HttpRequestRenderer;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.TrafficRendererService;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;

/**
 * TrafficLLM's web-request text: {@code {"method": ..., "url": ..., "body": ...}}
 * written as Python's {@code json.dumps} writes it (": " and ", " separators,
 * non-ASCII escaped), and the parser for one raw HTTP/1.x request that feeds it.
 * With masking, an IP-literal host and an explicit port in the URL become
 * placeholders (numbered per request: a request has no session).
 */
@Component(service = {HttpRequestRenderer.class, HttpRequestParser.class})
@TrafficRendererService(name = TrafficRendererService.HTTP_REQUEST)
public class HttpRequestText implements HttpRequestRenderer, HttpRequestParser {
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]+) +(\\S+)(?: +(HTTP/\\d+(?:\\.\\d+)?))? *");
    private static final Pattern URL_AUTHORITY = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)(\\d{1,3}(?:\\.\\d{1,3}){3})?([^/:?#]*)(?::(\\d+))?");

    @Override
    public String render(HttpRequestDTO request, RenderOptions options) {
        String url = maskedUrl(request, options);
        StringBuilder sb = new StringBuilder(64 + url.length() + (request.body == null ? 0 : request.body.length()));
        appendFields(request, url, sb);
        return sb.toString();
    }

    /** Appends the request's JSON text, as {@link #render} returns it, to {@code sb}. */
    static void appendJson(HttpRequestDTO request, RenderOptions options, StringBuilder sb) {
        appendFields(request, maskedUrl(request, options), sb);
    }

    private static String maskedUrl(HttpRequestDTO request, RenderOptions options) {
        String url = request.url == null ? "" : request.url;
        Masking masking = new Masking(options == null ? null : options.mask);
        return masking.ips || masking.ports ? maskUrl(url, masking) : url;
    }

    private static void appendFields(HttpRequestDTO request, String url, StringBuilder sb) {
        sb.append("{\"method\": ");
        appendJsonString(sb, request.method == null ? "" : request.method);
        sb.append(", \"url\": ");
        appendJsonString(sb, url);
        sb.append(", \"body\": ");
        appendJsonString(sb, request.body == null ? "" : request.body);
        sb.append('}');
    }

    /** The value of the request's first header named {@code name} (any case), trimmed; null when it has none. */
    static String header(HttpRequestDTO request, String name) {
        if (request.headers != null) {
            for (String h : request.headers) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return h.substring(colon + 1).trim();
                }
            }
        }
        return null;
    }

    private static String maskUrl(String url, Masking masking) {
        Matcher m = URL_AUTHORITY.matcher(url);
        if (!m.find()) {
            return url;
        }
        StringBuilder sb = new StringBuilder(m.group(1));
        if (m.group(2) != null && masking.ips) {
            String[] parts = m.group(2).split("\\.");
            byte[] address = new byte[4];
            for (int i = 0; i < 4; i++) {
                address[i] = (byte) Integer.parseInt(parts[i]);
            }
            sb.append("IP_").append(masking.ipNumber(address, 0, 4));
        } else if (m.group(2) != null) {
            sb.append(m.group(2));
        }
        sb.append(m.group(3));
        if (m.group(4) != null) {
            sb.append(':');
            if (masking.ports) {
                sb.append("PORT_").append(masking.portNumber(Integer.parseInt(m.group(4))));
            } else {
                sb.append(m.group(4));
            }
        }
        return sb.append(url, m.end(), url.length()).toString();
    }

    /** JSON string as Python's json.dumps with ensure_ascii: quotes, backslash, control and non-ASCII characters escaped. */
    static void appendJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e) {
                        sb.append("\\u");
                        for (int shift = 12; shift >= 0; shift -= 4) {
                            sb.append(Digits.HEX[(c >> shift) & 0xf]);
                        }
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    @Override
    public HttpRequestDTO parse(CharSequence raw) throws TextFormatException {
        String text = raw.toString();
        int start = 0;
        while (start < text.length() && (text.charAt(start) == '\r' || text.charAt(start) == '\n')) {
            start++;
        }
        int lineEnd = lineEnd(text, start);
        if (start >= text.length()) {
            throw new TextFormatException("empty HTTP request", 0);
        }
        Matcher line = REQUEST_LINE.matcher(text.substring(start, lineEnd));
        if (!line.matches()) {
            throw new TextFormatException("not an HTTP request line at character " + start + ": \""
                    + abbreviate(text.substring(start, lineEnd)) + "\"", start);
        }
        HttpRequestDTO request = new HttpRequestDTO();
        request.method = line.group(1);
        request.url = line.group(2);
        request.version = line.group(3);
        request.headers = new ArrayList<>();
        int pos = next(text, lineEnd);
        long contentLength = -1;
        while (pos < text.length()) {
            int end = lineEnd(text, pos);
            if (end == pos) {
                pos = next(text, end);
                break;
            }
            String header = text.substring(pos, end);
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new TextFormatException("header without a colon at character " + pos + ": \"" + abbreviate(header)
                        + "\"", pos);
            }
            if (header.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                try {
                    contentLength = Long.parseLong(header.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new TextFormatException("invalid Content-Length at character " + pos + ": \""
                            + abbreviate(header) + "\"", pos);
                }
            }
            request.headers.add(header);
            pos = next(text, end);
        }
        String body = pos < text.length() ? text.substring(pos) : "";
        if (contentLength >= 0 && contentLength < body.length()) {
            body = body.substring(0, (int) contentLength);
        }
        request.body = stripLineBreaks(body);
        return request;
    }

    private static int lineEnd(String text, int from) {
        int end = from;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        return end;
    }

    private static int next(String text, int lineEnd) {
        if (lineEnd < text.length() && text.charAt(lineEnd) == '\r') {
            lineEnd++;
        }
        if (lineEnd < text.length() && text.charAt(lineEnd) == '\n') {
            lineEnd++;
        }
        return lineEnd;
    }

    private static String stripLineBreaks(String body) {
        int end = body.length();
        while (end > 0 && (body.charAt(end - 1) == '\n' || body.charAt(end - 1) == '\r')) {
            end--;
        }
        return body.substring(0, end);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}

package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.capture.PacketView;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.PacketRenderSession;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;
import org.trafficllm.capture.impl.PcapCaptureService;

class HttpRequestShapeTest {
    private static final Pattern REQUEST_LINE = Pattern.compile("(GET|POST|PUT) http");
    private static final Pattern ARGUMENT = Pattern.compile("([^ ]+) (\\d+)(?: [^ ]*)?, ");
    private final HttpRequestText http = new HttpRequestText();
    private final HttpRequestShapeText shape = new HttpRequestShapeText();

    private static HttpRequestDTO request(String method, String url, String body) {
        HttpRequestDTO r = new HttpRequestDTO();
        r.method = method;
        r.url = url;
        r.body = body;
        r.headers = List.of();
        return r;
    }

    private static String args(HttpRequestDTO r) {
        StringBuilder sb = new StringBuilder();
        HttpRequestShape.append(r, sb);
        return sb.toString();
    }

    @Test
    void eachArgumentGetsItsDecodedLengthAndClassesBeforeTheJson() {
        HttpRequestDTO r = request("GET", "http://localhost:8080/tienda1/publico/registro.jsp?login=cocos-ar2"
                + "&apellidos=Gaytan+_Bayano&ciudad=Vid%E1ngoz%2FBidankoze&ntc=955605313599418&B1=Registrar", "");
        String text = shape.render(r, null);
        assertThat(text).isEqualTo("request.args: login 9 a9-, apellidos 14 aAs_, ciudad 18 aA/, ntc 15 9, "
                + "B1 9 aA, " + http.render(r, null));

        // the JSON part is masked as the http-request renderer masks it; the arguments hold no address
        RenderOptions masked = new RenderOptions();
        masked.mask = EnumSet.allOf(MaskedIdentifier.class);
        assertThat(shape.render(r, masked)).startsWith("request.args: login 9 a9-, ")
                .endsWith(http.render(r, masked)).contains("localhost:PORT_1");
    }

    @Test
    void decodingCountsCharactersNotEscapes() {
        // ISO-8859-1 as CSIC's forms send (%F1 alone is no UTF-8), UTF-8 when the bytes are UTF-8
        assertThat(HttpRequestShape.decode("Espada%F1edo")).isEqualTo("Espadañedo");
        assertThat(HttpRequestShape.decode("Espada%C3%B1edo")).isEqualTo("Espadañedo");
        // + is a space, %2B a plus; a % that starts no escape stays
        assertThat(HttpRequestShape.decode("a+b%2Bc")).isEqualTo("a b+c");
        assertThat(HttpRequestShape.decode("100%+sure%G1%4")).isEqualTo("100% sure%G1%4");
        // characters sent unescaped stay whole, beyond the BMP too, beside escapes
        assertThat(HttpRequestShape.decode("\u20ac%41+\ud83d\ude00%20")).isEqualTo("\u20acA \ud83d\ude00 ");
        assertThat(args(request("GET", "/x?e=\ud83d\ude00%21", ""))).isEqualTo("request.args: e 2 u!, ");
        assertThat(args(request("GET", "/x?q=1%27+OR+%271%27%3D%271&n=%E9%E8", "")))
                .isEqualTo("request.args: q 12 A9s'=, n 2 a, ");
    }

    @Test
    void classesAreInAFixedOrderThenAsciiPunctuationInCodeOrder() {
        StringBuilder sb = new StringBuilder();
        HttpRequestShape.appendClasses("z;A\t9\u0001 ,=\u20ac<", sb);
        assertThat(sb.toString()).isEqualTo("aA9scu,;<=");
        sb.setLength(0);
        HttpRequestShape.appendClasses("Ñandú", sb);
        assertThat(sb).hasToString("aA");
    }

    @Test
    void bodiesFormsAndRequestsWithoutArguments() {
        // a form body follows the query; a body that is no form is one argument
        assertThat(args(request("POST", "/login.jsp?lang=es", "user=ana&pwd=&remember")))
                .isEqualTo("request.args: lang 2 a, user 3 a, pwd 0, remember 0, ");
        assertThat(args(request("POST", "/api", "{\"user\": \"ana\"}")))
                .isEqualTo("request.args: body 15 as\":{}, ");
        // the Content-Type decides when there is one: a form with a raw space, a text with '='
        HttpRequestDTO form = request("POST", "/f", "id=1&q=' or 1");
        form.headers = List.of("Content-Type: application/x-www-form-urlencoded; charset=UTF-8");
        assertThat(args(form)).isEqualTo("request.args: id 1 9, q 6 a9s', ");
        HttpRequestDTO text = request("POST", "/f", "a=b");
        text.headers = List.of("content-type: text/plain");
        assertThat(args(text)).isEqualTo("request.args: body 3 a=, ");
        assertThat(args(request("GET", "/index.jsp", ""))).isEqualTo("request.args: 0, ");
        assertThat(args(request("GET", "/index.jsp?", null))).isEqualTo("request.args: 0, ");
        // a fragment is not sent as part of the query
        assertThat(args(request("GET", "/a?x=1#top", ""))).isEqualTo("request.args: x 1 9, ");
        // empty pairs are skipped, a missing name is '-'
        assertThat(args(request("GET", "/a?&&=v&", ""))).isEqualTo("request.args: - 1 a, ");
    }

    @Test
    void namesAreCutAndArgumentsCountedBeyondTheLimits() {
        StringBuilder url = new StringBuilder("/a?");
        for (int i = 0; i < HttpRequestShape.ARGUMENT_LIMIT + 3; i++) {
            url.append("p").append(i).append("=x&");
        }
        assertThat(args(request("GET", url.toString(), ""))).startsWith("request.args: p0 1 a, p1 1 a, ")
                .endsWith("p23 1 a, +3, ");
        String longName = "n".repeat(HttpRequestShape.NAME_LIMIT + 5);
        assertThat(args(request("GET", "/a?" + longName + "=1&b%20c,d=2", "")))
                .isEqualTo("request.args: " + "n".repeat(HttpRequestShape.NAME_LIMIT) + "~ 1 9, b%20c?d 1 9, ");
    }

    /**
     * Every argument of CSIC 2010's normal training and anomalous test files against the
     * JDK's URL decoder (ISO-8859-1, CSIC's form encoding): the query's pairs and then the
     * body's (every CSIC body is a form), same names in the same order, same decoded lengths.
     */
    @Test
    void csicArgumentsMatchTheJdkDecoder() throws IOException {
        long compared = 0;
        long requests = 0;
        for (String csic : List.of("normalTrafficTraining.txt.gz", "anomalousTrafficTest.txt.gz")) {
            for (HttpRequestDTO r : csicRequests(TestData.file("csic2010/" + csic))) {
                int q = r.url.indexOf('?');
                List<String> pairs = new ArrayList<>();
                if (q >= 0) {
                    pairs.addAll(List.of(r.url.substring(q + 1).split("&")));
                }
                pairs.addAll(List.of(r.body.split("&")));
                pairs.removeIf(String::isEmpty);
                if (pairs.isEmpty() || pairs.size() > HttpRequestShape.ARGUMENT_LIMIT
                        || pairs.stream().anyMatch(p -> !decodable(p))) {
                    continue;
                }
                String text = args(r);
                List<String> written = namesAndLengths(text);
                assertThat(written).as(text).hasSameSizeAs(pairs);
                for (int i = 0; i < pairs.size(); i++) {
                    String pair = pairs.get(i);
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.ISO_8859_1);
                    String[] nameLength = written.get(i).split(" ");
                    assertThat(Integer.parseInt(nameLength[1])).as("%s in %s", pair, text).isEqualTo(value.length());
                    if (!name.isEmpty() && name.length() <= HttpRequestShape.NAME_LIMIT
                            && name.chars().allMatch(c -> c > ' ' && c != ',' && c < 0x7f)) {
                        assertThat(nameLength[0]).as("%s in %s", pair, text).isEqualTo(name);
                    }
                    compared++;
                }
                requests++;
            }
        }
        assertThat(requests).isGreaterThan(25_000);
        assertThat(compared).isGreaterThan(150_000);
    }

    /** The JDK decoder throws on a stray %; such values are checked by the unit cases above. */
    private static boolean decodable(String pair) {
        try {
            URLDecoder.decode(pair, StandardCharsets.ISO_8859_1);
            return !pair.matches(".*%[cdefCDEF][0-9a-fA-F]%[89abAB][0-9a-fA-F].*");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Captured form bodies against tshark's {@code urlencoded-form} dissector, which decodes
     * every value: the body's arguments are tshark's keys, with the lengths of its values
     * (WebattackRCE sends its forms in the same segment as the request line; 1kxun's wait
     * for {@code 100 Continue}, so a packet renderer sees none of them).
     */
    @Test
    void capturedFormsMatchTsharksDecodedValues() throws Exception {
        int frames = 0;
        for (String capture : List.of("ndpi/pcap/1kxun.pcap", "ndpi/pcap/WebattackRCE.pcap")) {
            Path file = TestData.file(capture);
            Map<Long, String> ours = new LinkedHashMap<>();
            PacketRenderSession session = new HttpRequestShapePacketRenderer().open(new RenderOptions());
            new PcapCaptureService().read(file, (PacketView p) -> {
                StringBuilder sb = new StringBuilder();
                if (session.render(p, sb)) {
                    ours.put(p.number(), sb.toString());
                }
            });
            for (String[] row : forms(file)) {
                String text = ours.get(Long.parseLong(row[0]));
                if (text == null) {
                    continue; // the form came in a later segment than the request line (1kxun's Expect: 100-continue)
                }
                String[] keys = row[1].split("\u001f", -1);
                String[] values = row[2].split("\u001f", -1);
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < keys.length; i++) {
                    expected.add(keys[i] + " " + values[i].codePointCount(0, values[i].length()));
                }
                List<String> written = namesAndLengths(text);
                assertThat(written.subList(Math.max(0, written.size() - expected.size()), written.size()))
                        .as("frame %s of %s: %s", row[0], capture, text).isEqualTo(expected);
                frames++;
            }
        }
        assertThat(frames).isGreaterThanOrEqualTo(20);
    }

    /**
     * The {@code name length} of every argument of a shape text; the arguments must run from
     * the field's start to the request's JSON or the text's end.
     */
    private static List<String> namesAndLengths(String text) {
        assertThat(text).startsWith(HttpRequestShape.FIELD);
        Matcher m = ARGUMENT.matcher(text);
        List<String> pairs = new ArrayList<>();
        int at = HttpRequestShape.FIELD.length();
        while (at < text.length() && !text.startsWith("{", at)) {
            assertThat(m.find(at) && m.start() == at).as("an argument at %d of %s", at, text).isTrue();
            pairs.add(m.group(1) + " " + m.group(2));
            at = m.end();
        }
        return pairs;
    }

    /** The requests of a CSIC 2010 file, parsed by the http-request parser. */
    private List<HttpRequestDTO> csicRequests(Path file) throws IOException {
        List<HttpRequestDTO> requests = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.ISO_8859_1))) {
            StringBuilder request = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (REQUEST_LINE.matcher(line).lookingAt() && request.length() > 0) {
                    requests.add(parse(request));
                    request.setLength(0);
                }
                request.append(line).append("\r\n");
            }
            if (request.length() > 0) {
                requests.add(parse(request));
            }
        }
        return requests;
    }

    private HttpRequestDTO parse(CharSequence raw) {
        try {
            return http.parse(raw);
        } catch (TextFormatException e) {
            throw new AssertionError("CSIC request not parsed: " + e.getMessage(), e);
        }
    }

    /** tshark's decoded form keys and values per frame, lists joined by U+001F. */
    private static List<String[]> forms(Path capture) throws IOException, InterruptedException {
        List<String[]> rows = TsharkConversations.rows(capture, "urlencoded-form", '\u001f', "frame.number",
                "urlencoded-form.key", "urlencoded-form.value");
        rows.removeIf(row -> row.length != 3);
        assertThat(rows).as("tshark's forms in %s", capture).isNotEmpty();
        return rows;
    }
}

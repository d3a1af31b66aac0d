package org.trafficllm.dataset.layout.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.dataset.DatasetException;
import org.trafficllm.api.task.Granularity;
import org.trafficllm.dataset.impl.SharedData;
import org.trafficllm.text.impl.HttpRequestText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class CsicRequestLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CsicRequestLayout layout = BoundRenderers.bind(new CsicRequestLayout(new HttpRequestText()));

    @TempDir
    Path temp;

    @Test
    void readsEveryRequestOfTheThreeCsicFiles() throws Exception {
        RecordingContext training = read(SharedData.path("csic2010/normalTrafficTraining.txt.gz"));
        RecordingContext test = read(SharedData.path("csic2010/normalTrafficTest.txt.gz"));
        RecordingContext anomalous = read(SharedData.path("csic2010/anomalousTrafficTest.txt.gz"));

        assertThat(training.samples).hasSize(28_738);
        assertThat(test.samples).hasSize(28_778);
        assertThat(anomalous.samples).hasSize(20_088);
        assertThat(training.count("normal")).isEqualTo(28_738);
        assertThat(anomalous.count("abnormal")).isEqualTo(20_088);
        assertThat(training.skips).isEmpty();
        assertThat(test.skips).isEmpty();
        assertThat(anomalous.skips).isEmpty();
        assertThat(anomalous.labels).containsExactly("normal", "abnormal");

        // the POST and PUT requests carry their body, the GET requests none
        long withBody = anomalous.samples.stream().filter(s -> !body(s.text()).isEmpty()).count();
        long posts = anomalous.samples.stream().filter(s -> !method(s.text()).equals("GET")).count();
        assertThat(withBody).isEqualTo(posts).isEqualTo(7_749 + 325);
        assertThat(training.samples.stream().filter(s -> method(s.text()).equals("POST")).count()).isEqualTo(6_361);
        assertThat(training.samples).allSatisfy(s -> assertThat(url(s.text())).startsWith("http://"));
        assertThat(anomalous.lastDone).isEqualTo(anomalous.lastTotal).isPositive();
    }

    @Test
    void rendersMethodUrlAndBodyAsTrafficLlmsJson() throws Exception {
        Path file = write("normalTraffic.txt", "POST http://localhost:8080/shop/login.jsp HTTP/1.1\r\n"
                + "Host: localhost:8080\r\nContent-Length: 9\r\n\r\nuser=a&b=\"\r\n\r\n"
                + "GET http://localhost:8080/shop/index.jsp?id=1 HTTP/1.1\r\nHost: localhost:8080\r\n\r\n\r\n");
        RecordingContext plain = new RecordingContext(file, Granularity.PACKET);
        plain.mask = false;
        layout.read(plain);
        // Python's json.dumps({"method": ..., "url": ..., "body": ...}), TrafficLLM's web-request text
        assertThat(plain.samples).extracting(RecordingContext.Sample::text).containsExactly(
                "{\"method\": \"POST\", \"url\": \"http://localhost:8080/shop/login.jsp\", \"body\": \"user=a&b=\\\"\"}",
                "{\"method\": \"GET\", \"url\": \"http://localhost:8080/shop/index.jsp?id=1\", \"body\": \"\"}");
        assertThat(plain.samples).allSatisfy(s -> assertThat(s.label()).isEqualTo("normal"));

        // masked (the default): the URL's port is a placeholder; headers are not part of the text
        RecordingContext masked = read(file);
        assertThat(masked.samples).extracting(s -> url(s.text())).containsExactly(
                "http://localhost:PORT_1/shop/login.jsp", "http://localhost:PORT_1/shop/index.jsp?id=1");
        assertThat(masked.samples).allSatisfy(s -> assertThat(s.text()).doesNotContain("8080"));
    }

    @Test
    void acceptsLineFeedEndingsAsInNormalTrafficTest() throws Exception {
        Path file = write("anomalousTraffic.txt", "PUT http://h/x HTTP/1.1\nHost: h\n\nbody=1\n\n");
        RecordingContext context = read(file);
        assertThat(context.samples).singleElement().satisfies(s -> {
            assertThat(s.label()).isEqualTo("abnormal");
            assertThat(body(s.text())).isEqualTo("body=1");
        });
    }

    @Test
    void groupByParametersKeepsOneFormsValuesTogetherWhateverTheMethodAndPage() throws Exception {
        Path file = write("anomalousTraffic.txt", "GET http://h/shop/registro.jsp?login=a&cp=1 HTTP/1.1\nHost: h\n\n\n"
                + "POST http://h/shop/editar.jsp HTTP/1.1\nHost: h\n\nlogin=a&cp=1\n\n"
                + "POST http://h/shop/editar.jsp HTTP/1.1\nHost: h\n\nlogin=b&cp=1\n\n"
                + "GET http://h/shop/index.jsp HTTP/1.1\nHost: h\n\n\n");

        RecordingContext byRequest = read(file);
        assertThat(byRequest.samples).as("default: identical texts only (the builder's rule)")
                .extracting(RecordingContext.Sample::group).containsOnlyNulls();

        RecordingContext byParameters = new RecordingContext(file, Granularity.PACKET);
        byParameters.options.put("group", "parameters");
        layout.read(byParameters);
        assertThat(byParameters.samples).extracting(RecordingContext.Sample::group).containsExactly(
                "parameters:login=a&cp=1", "parameters:login=a&cp=1", "parameters:login=b&cp=1", null);
        assertThat(byParameters.samples).extracting(RecordingContext.Sample::text)
                .as("the text is unchanged").isEqualTo(byRequest.samples.stream().map(RecordingContext.Sample::text).toList());

        RecordingContext bad = new RecordingContext(file, Granularity.PACKET);
        bad.options.put("group", "page");
        assertThatThrownBy(() -> layout.read(bad)).isInstanceOf(DatasetException.class)
                .hasMessage("option group=page: expected request or parameters");
        assertThat(bad.samples).isEmpty();
    }

    @Test
    void textWithoutRequestLineAndBrokenHeadersAreSkippedWithFileAndLine() throws Exception {
        Path file = write("normalBroken.txt", "Host: stray\r\n\r\n"
                + "GET http://h/a HTTP/1.1\r\nHost: h\r\nthis is no header\r\n\r\n\r\n"
                + "GET http://h/b HTTP/1.1\r\nHost: h\r\n\r\n");
        RecordingContext context = read(file);
        assertThat(context.samples).extracting(s -> url(s.text())).containsExactly("http://h/b");
        assertThat(context.skips).containsExactly(
                "normalBroken.txt: line 1: no request line: text before the first request",
                "normalBroken.txt: line 3: malformed header: line 5 is no 'Name: value' header");
    }

    @Test
    void truncatedGzipStopsWithFileAndPlace() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("GET http://h/page").append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n\r\n");
        }
        byte[] gz = TestFiles.gzip(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        Path file = temp.resolve("normalTrafficTraining.txt.gz");
        Files.write(file, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> read(file)).isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("normalTrafficTraining.txt.gz: truncated gzip stream after line ")
                .hasMessageContaining("file bytes read")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void rendersTheArgumentsShapeOnRequest() throws Exception {
        assertThat(layout.renderer(Granularity.PACKET, null, null)).isEqualTo("http-request");
        assertThat(layout.renderer(Granularity.PACKET, null, "http-request-shape")).isEqualTo("http-request-shape");
        assertThatThrownBy(() -> layout.renderer(Granularity.PACKET, null, "flow-bytes"))
                .isInstanceOf(DatasetException.class).hasMessage(
                        "renderer 'flow-bytes' is not available for CSIC requests; use http-request or http-request-shape");

        Path file = write("anomalousTraffic.txt", "POST http://localhost:8080/tienda1/publico/registro.jsp HTTP/1.1\r\n"
                + "Host: localhost:8080\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 43\r\n\r\n"
                + "login=a_b&cp=1234&ntc=955605313599418&B1=Ok\r\n\r\n");
        RecordingContext context = new RecordingContext(file, Granularity.PACKET);
        context.renderer = "http-request-shape";
        layout.read(context);
        assertThat(context.samples).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo(
                "request.args: login 3 a_, cp 4 9, ntc 15 9, B1 2 aA, {\"method\": \"POST\", \"url\": "
                        + "\"http://localhost:PORT_1/tienda1/publico/registro.jsp\", \"body\": "
                        + "\"login=a_b&cp=1234&ntc=955605313599418&B1=Ok\"}"));
    }

    @Test
    void offersOnlyPacketSamples() {
        assertThat(layout.granularities()).containsExactly(Granularity.PACKET);
        assertThatThrownBy(() -> layout.renderer(Granularity.FLOW, null)).isInstanceOf(DatasetException.class);
    }

    private RecordingContext read(Path input) throws IOException {
        RecordingContext context = new RecordingContext(input, Granularity.PACKET);
        layout.read(context);
        return context;
    }

    private Path write(String name, String content) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        return file;
    }

    private static String method(String json) {
        return field(json, "method");
    }

    private static String url(String json) {
        return field(json, "url");
    }

    private static String body(String json) {
        return field(json, "body");
    }

    private static String field(String json, String name) {
        try {
            JsonNode node = JSON.readTree(json);
            assertThat(node.size()).isEqualTo(3);
            return node.get(name).asText();
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }
}

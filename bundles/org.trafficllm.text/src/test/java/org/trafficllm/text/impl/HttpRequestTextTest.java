package org.trafficllm.text.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.trafficllm.api.text.MaskedIdentifier;
import org.trafficllm.api.text.TextFormatException;
import org.trafficllm.api.text.dto.HttpRequestDTO;
import org.trafficllm.api.text.dto.RenderOptions;

class HttpRequestTextTest {
    private final HttpRequestText http = new HttpRequestText();

    @Test
    void postBodyIsBoundedByContentLength() throws Exception {
        HttpRequestDTO r = http.parse("POST http://shop.test:8080/cart/add.jsp HTTP/1.1\r\nHost: shop.test:8080\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nid=2&q=%27more\r\n\r\n");
        assertThat(r.method).isEqualTo("POST");
        assertThat(r.url).isEqualTo("http://shop.test:8080/cart/add.jsp");
        assertThat(r.version).isEqualTo("HTTP/1.1");
        assertThat(r.headers).containsExactly("Host: shop.test:8080", "Content-Type: application/x-www-form-urlencoded",
                "Content-Length: 9");
        assertThat(r.body).isEqualTo("id=2&q=%2");
        assertThat(http.render(r, new RenderOptions()))
                .isEqualTo("{\"method\": \"POST\", \"url\": \"http://shop.test:8080/cart/add.jsp\", \"body\": \"id=2&q=%2\"}");
    }

    @Test
    void getWithoutBodyAndJsonEscapesLikePython() throws Exception {
        HttpRequestDTO r = http.parse("GET /a?q=\"x\"\\y\u00e9 HTTP/1.0\nHost: h\n\n");
        assertThat(r.body).isEmpty();
        assertThat(http.render(r, null)).isEqualTo("{\"method\": \"GET\", \"url\": \"/a?q=\\\"x\\\"\\\\y\\u00e9\", \"body\": \"\"}");
    }

    @Test
    void maskingReplacesIpLiteralHostAndPort() throws Exception {
        HttpRequestDTO r = http.parse("GET http://10.1.2.3:8080/x?a=1 HTTP/1.1\r\n\r\n");
        RenderOptions options = new RenderOptions();
        options.mask = EnumSet.of(MaskedIdentifier.IP, MaskedIdentifier.PORT);
        assertThat(http.render(r, options)).contains("\"url\": \"http://IP_1:PORT_1/x?a=1\"");
        options.mask = EnumSet.of(MaskedIdentifier.PORT);
        assertThat(http.render(r, options)).contains("\"url\": \"http://10.1.2.3:PORT_1/x?a=1\"");
    }

    @Test
    void notARequestNamesThePlace() {
        assertThatThrownBy(() -> http.parse("\r\nhello there\r\n")).isInstanceOf(TextFormatException.class)
                .hasMessage("not an HTTP request line at character 2: \"hello there\"");
        assertThatThrownBy(() -> http.parse("GET / HTTP/1.1\r\nno colon here\r\n\r\n"))
                .isInstanceOf(TextFormatException.class).hasMessageStartingWith("header without a colon at character 16");
        assertThatThrownBy(() -> http.parse("")).hasMessage("empty HTTP request");
    }

    @Test
    void parsesTheFirstCsicRequests() throws Exception {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(TestData.file("csic2010/anomalousTrafficTest.txt.gz"))), StandardCharsets.ISO_8859_1))) {
            StringBuilder request = new StringBuilder();
            int parsed = 0;
            String line;
            while ((line = in.readLine()) != null && parsed < 50) {
                if ((line.startsWith("GET ") || line.startsWith("POST ") || line.startsWith("PUT ")) && request.length() > 0) {
                    assertParsed(http.parse(request));
                    parsed++;
                    request.setLength(0);
                }
                request.append(line).append("\r\n");
            }
            assertThat(parsed).isEqualTo(50);
        }
    }

    private void assertParsed(HttpRequestDTO r) {
        assertThat(r.method).isIn("GET", "POST", "PUT");
        assertThat(r.url).startsWith("http://localhost:8080/");
        assertThat(r.headers).anySatisfy(h -> assertThat(h).startsWith("Host: "));
        if (r.method.equals("POST")) {
            assertThat(r.body).isNotEmpty().doesNotContain("\r\n");
        }
        assertThat(http.render(r, null)).startsWith("{\"method\": \"" + r.method + "\", \"url\": \"");
    }
}

package org.trafficllm.eval.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;
import org.trafficllm.api.eval.dto.EvaluationRunDTO;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON and HTML files: round trip, the inlined library, the embedded data and escaping. */
class ReportFilesTest {
    private static final String HOSTILE = "</script><script>alert(1)</script>&\"'\u2028";
    private final ClassificationReportService service = new ClassificationReportService();

    @TempDir
    Path folder;

    @Test
    void jsonRoundTripKeepsEveryField() throws IOException {
        EvaluationReportDTO report = ClassificationReportServiceTest.zoo(service);
        report.run.split = "group (seed 42, 0.8)";
        report.run.trainMillis = 1234;
        Path file = folder.resolve("out/zoo.json");

        service.writeJson(report, file);
        EvaluationReportDTO read = service.readJson(file);

        assertThat(read).usingRecursiveComparison().isEqualTo(report);
        assertThat(Files.readString(file)).contains("\"accuracy\" : 0.4").contains("\"invalid\" : 2");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).as("no part file left behind").containsExactly(file);
        }
    }

    @Test
    void aFileThatIsNoReportIsNamedWithItsLine() throws IOException {
        Path file = folder.resolve("broken.json");
        Files.writeString(file, "{\n\"samples\": 3,\n\"accuracy\": [\n");

        assertThatThrownBy(() -> service.readJson(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": not an evaluation report: ");
    }

    @Test
    void aFailedWriteNamesTheFileAndKeepsThePreviousReport() throws IOException {
        Path file = folder.resolve("zoo.json");
        service.writeJson(ClassificationReportServiceTest.zoo(service), file);
        String before = Files.readString(file);
        Files.createDirectory(folder.resolve(".zoo.json.part"));

        assertThatThrownBy(() -> service.writeJson(ClassificationReportServiceTest.zoo(service), file))
                .isInstanceOf(IOException.class).hasMessageStartingWith(file + ": cannot write the report");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void htmlInlinesTheChartLibraryAndCarriesTheReport() throws IOException {
        EvaluationReportDTO report = ClassificationReportServiceTest.zoo(service);
        Path file = folder.resolve("zoo.html");

        service.writeHtml(report, file);
        String html = Files.readString(file);

        assertThat(html).contains(echarts()).doesNotContain("src=\"http").doesNotContain("<link");
        assertThat(embeddedReport(html)).usingRecursiveComparison().isEqualTo(report);
        assertThat(html).contains("<div id=\"confusion\"").contains("<div id=\"per-class\"")
                .contains("<td>emu</td><td>3</td><td>0</td><td>0</td><td>0.0000*</td>")
                .contains("<tr><th>accuracy</th><td>0.4000</td></tr>").contains("<code>meow</code>");
    }

    @Test
    void labelAndRunTextIsEscapedEverywhere() throws IOException {
        EvaluationRunDTO run = new EvaluationRunDTO();
        run.model = HOSTILE;
        EvaluationReportDTO report = service.evaluate(List.of(HOSTILE, "b"), List.of(HOSTILE, "b"),
                List.of("b", "<img src=x onerror=alert(2)>"), run);
        Path file = folder.resolve("hostile.html");

        service.writeHtml(report, file);
        String html = Files.readString(file);

        assertThat(html).doesNotContain("<script>alert(1)").doesNotContain("<img src=x")
                .contains("<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;\u2028</td>")
                .contains("<code>&lt;img src=x onerror=alert(2)&gt;</code>");
        assertThat(html.split("<script", -1)).as("the data, the library and the chart code").hasSize(4);
        assertThat(embeddedReport(html).labels).containsExactly(HOSTILE, "b");
        assertThat(embeddedReport(html).run.model).isEqualTo(HOSTILE);
    }

    private static EvaluationReportDTO embeddedReport(String html) throws IOException {
        Matcher data = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertThat(data.find()).isTrue();
        assertThat(data.group(1)).doesNotContain("<").doesNotContain("\u2028");
        return new ObjectMapper().readValue(data.group(1), EvaluationReportDTO.class);
    }

    private static String echarts() throws IOException {
        try (InputStream in = ReportFilesTest.class.getClassLoader()
                .getResourceAsStream("META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js")) {
            assertThat(in).as("the ECharts webjar").isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).contains("echarts").hasSizeGreaterThan(500_000);
            return text;
        }
    }
}

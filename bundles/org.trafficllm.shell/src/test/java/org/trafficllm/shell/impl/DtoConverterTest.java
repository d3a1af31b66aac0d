package org.trafficllm.shell.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Converter;
import org.junit.jupiter.api.Test;
import org.osgi.dto.DTO;

class DtoConverterTest {
    public static class Row extends DTO {
        public String label;
        public long count;
        public double f1;
    }

    public static class Report extends DTO {
        public String task;
        public long train;
        public Map<String, Long> skipped = new LinkedHashMap<>();
        public List<Row> classes = new ArrayList<>();
    }

    private final DtoConverter converter = new DtoConverter();

    @Test
    void aDtoPrintsAsAlignedFieldsWithItsRowsAsATable() {
        Report report = new Report();
        report.task = "MTD";
        report.train = 8000;
        report.skipped.put("bad row", 2L);
        report.classes.add(row("Benign", 5, 0.5));
        report.classes.add(row("Malware-long-name", 12, 0.98765));

        String text = converter.format(report, Converter.INSPECT, null).toString();

        assertThat(text).isEqualTo(String.join("\n",
                "task     MTD",
                "train    8000",
                "skipped  bad row=2",
                "classes",
                "  label              count  f1",
                "  Benign             5      0.5000",
                "  Malware-long-name  12     0.9877"));
    }

    @Test
    void aListOfDtosPrintsAsATableAndAsARowCountInsideOtherOutput() {
        List<Row> rows = List.of(row("a", 1, 1.0), row("b", 2, 0.25));
        assertThat(converter.format(rows, Converter.INSPECT, null).toString())
                .isEqualTo("label  count  f1\na      1      1\nb      2      0.2500");
        assertThat(converter.format(rows, Converter.PART, null).toString()).isEqualTo("2 rows");
    }

    @Test
    void aDtoOnOneLineKeepsItsScalarFields() {
        assertThat(converter.format(row("x", 3, 0.5), Converter.LINE, null).toString()).isEqualTo("label=x, count=3, f1=0.5000");
    }

    @Test
    void apiDataClassesPrintLikeDtos() {
        org.trafficllm.api.model.GenerationResult result = new org.trafficllm.api.model.GenerationResult();
        result.text = "tcp.flags: 0x0012";
        result.tokenIds = new int[] { 7, 8 };
        result.promptTokens = 12;
        result.finishReason = "stop";
        assertThat(converter.format(result, Converter.INSPECT, null).toString()).isEqualTo(String.join("\n",
                "text          tcp.flags: 0x0012",
                "tokenIds      [7, 8]",
                "promptTokens  12",
                "finishReason  stop"));
    }

    @Test
    void otherObjectsAreLeftToGogo() {
        assertThat(converter.format("plain", Converter.INSPECT, null)).isNull();
        assertThat(converter.format(List.of(), Converter.INSPECT, null)).isNull();
    }

    private static Row row(String label, long count, double f1) {
        Row r = new Row();
        r.label = label;
        r.count = count;
        r.f1 = f1;
        return r;
    }
}

package org.trafficllm.eval.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * The page's static parts, read from this bundle once and kept: Apache ECharts'
 * minified build (about 1 MB, embedded from its webjar), the chart code and the
 * stylesheet. Inlining them is what makes a report open offline as one file.
 */
final class ChartLibrary {
    private final ClassLoader loader;
    private String script;
    private String reportScript;
    private String stylesheet;
    private String version;

    ChartLibrary(ClassLoader loader) {
        this.loader = loader;
    }

    synchronized String script() throws IOException {
        if (script == null) {
            Properties properties = new Properties();
            try (InputStream in = open("org/trafficllm/eval/impl/echarts.properties")) {
                properties.load(in);
            }
            String text = read(properties.getProperty("script"));
            String lower = text.toLowerCase(Locale.ROOT);
            // Inside <script> these sequences would end the element or change how HTML parses it.
            if (lower.contains("</script") || lower.contains("<!--")) {
                throw new IOException(properties.getProperty("script") + ": cannot be inlined in a <script> element");
            }
            version = properties.getProperty("version");
            script = text;
        }
        return script;
    }

    synchronized String version() throws IOException {
        script();
        return version;
    }

    synchronized String reportScript() throws IOException {
        if (reportScript == null) {
            reportScript = read("org/trafficllm/eval/impl/report.js");
        }
        return reportScript;
    }

    synchronized String stylesheet() throws IOException {
        if (stylesheet == null) {
            stylesheet = read("org/trafficllm/eval/impl/report.css");
        }
        return stylesheet;
    }

    private String read(String resource) throws IOException {
        try (InputStream in = open(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private InputStream open(String resource) throws IOException {
        InputStream in = resource == null ? null : loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(resource + ": not in the evaluation bundle");
        }
        return in;
    }
}

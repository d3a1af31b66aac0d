package org.trafficllm.eval.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trafficllm.api.eval.dto.EvaluationReportDTO;

/**
 * Opens a report in headless Chromium and checks that the chart code ran to its end
 * (it marks the body) without a script error. Needs a {@code chromium} on the path
 * (Debian: {@code apt-get install -y chromium}); without one the test is skipped,
 * since a browser is no part of the build.
 */
class HtmlReportInBrowserTest {
    private final ClassificationReportService service = new ClassificationReportService();

    @TempDir
    Path folder;

    @Test
    void theChartsRenderWithoutScriptErrors() throws Exception {
        Optional<Path> chromium = onPath("chromium");
        assumeTrue(chromium.isPresent(), "no chromium on the path");
        EvaluationReportDTO report = service.evaluate(List.of("cat", "</script><b>dog</b>", "emu"),
                List.of("cat", "cat", "</script><b>dog</b>", "emu"), List.of("cat", "meow", "cat", "emu"), null);
        Path page = folder.resolve("report.html");
        service.writeHtml(report, page);

        Path dom = folder.resolve("dom.html");
        Path log = folder.resolve("console.txt");
        Process browser = new ProcessBuilder(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + folder.resolve("profile"), "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
        boolean finished = browser.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            browser.destroyForcibly();
        }

        assertThat(finished).as("chromium finished").isTrue();
        assertThat(Files.readString(dom, StandardCharsets.UTF_8)).contains("<body data-charts=\"ready\">");
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).doesNotContain("Uncaught")
                .doesNotContain("SyntaxError");
    }

    private static Optional<Path> onPath(String command) throws IOException {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

package org.trafficllm.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a command-line tool's {@code run(args, out, err)} printed and returned. */
record CommandResult(int code, String out, String err) {
    /** A tool's entry point as the tests call it. */
    interface Tool {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    static CommandResult of(Tool tool, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = tool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Exit code {@code code} and one line on standard error starting with {@code start}. */
    void assertError(int code, String start) {
        assertThat(this.code).as(err).isEqualTo(code);
        assertThat(err).startsWith(start);
        assertThat(err.strip()).as("one line").doesNotContain("\n");
    }
}

package org.trafficllm.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** The tllm commands are registered by DS in the real framework and run through Gogo. */
@ExtendWith(ServiceExtension.class)
class ShellCommandsTest {

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    @Test
    void helpListsTheRegisteredCommands() throws Exception {
        Object result = execute("tllm:help");
        assertThat(result).asString().contains("info").contains("help");
    }

    @Test
    void helpExplainsEvalWithTrafficLlmsParameterNamesBesideTheShortOnes() throws Exception {
        assertThat(execute("tllm:help")).asString().contains("eval ");
        assertThat(execute("tllm:help eval")).asString().contains("--test, --test_file <value>",
                "--adapter, --ptuning_checkpoint, --ptuning_path <value>",
                "--base, --model_name_or_path, --model_name <value>", "--labels, --label_file <value>",
                "--traffic_task <value>", "--limit <value>", "--out, --output_dir <value>");
    }

    @Test
    void infoReportsTheTrafficLlmBundlesActive() throws Exception {
        Object result = execute("tllm:info");
        assertThat(result).asString().contains("org.trafficllm.shell").contains("ACTIVE");
    }

    @Test
    void helpForAnUnknownCommandFailsWithAClearMessage() {
        assertThatThrownBy(() -> execute("tllm:help nope")).hasMessageContaining("unknown command 'nope'");
    }

    private Object execute(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(out),
                new PrintStream(out))) {
            return session.execute(line);
        }
    }
}

package org.trafficllm.shell.impl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneCommandRunnerTest {

    @Test
    void helpBeforeOrAfterACommandExplainsThatCommand() {
        assertThat(OneCommandRunner.withHelp(new String[] {"--help", "eval"})).containsExactly("help", "eval");
        assertThat(OneCommandRunner.withHelp(new String[] {"eval", "--help"})).containsExactly("help", "eval");
        assertThat(OneCommandRunner.withHelp(new String[] {"tllm:eval", "--test", "t.jsonl", "-h"}))
                .containsExactly("help", "eval");
        assertThat(OneCommandRunner.withHelp(new String[] {"-h"})).containsExactly("help");
        assertThat(OneCommandRunner.withHelp(new String[] {"eval", "--test", "t.jsonl"}))
                .containsExactly("eval", "--test", "t.jsonl");
    }
}

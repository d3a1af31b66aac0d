package org.trafficllm.api.task;

/** What a task does with traffic. */
public enum TaskKind {
    /** Classifies a packet or flow: the answer is one of the task's labels. */
    DETECTION,
    /** Produces traffic of a requested class: the answer is traffic text. */
    GENERATION,
    /** Stage 1: maps a natural-language instruction to the name of a task. */
    ROUTER;

    /** The lower-case word TrafficLLM's preprocessing uses ({@code detection}, {@code generation}, {@code router}). */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The kind named by {@code word}, ignoring case. */
    public static TaskKind of(String word) {
        for (TaskKind kind : values()) {
            if (kind.name().equalsIgnoreCase(word)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown task kind '" + word + "' (detection, generation or router)");
    }
}

package org.trafficllm.api.task;

/**
 * A task could not be registered, updated, found or run. The message is one line
 * naming the input and the place, e.g. {@code mtd-2.0.0.jar: adapter_model.safetensors:
 * SHA-256 is 3f1c…, the manifest lists 9ab0…}.
 */
public class TaskException extends Exception {
    private static final long serialVersionUID = 1L;

    public TaskException(String message) {
        super(message);
    }

    public TaskException(String message, Throwable cause) {
        super(message, cause);
    }
}

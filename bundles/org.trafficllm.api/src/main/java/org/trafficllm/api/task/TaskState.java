package org.trafficllm.api.task;

/** Where a task bundle stands, as the task registry sees it. */
public enum TaskState {
    /** Installed but not started, or not resolvable (the reason is the refusal). */
    INSTALLED,
    /** Started; its base model has no service yet (still loading, or not installed). */
    WAITING,
    /** Started; being verified and loaded. */
    LOADING,
    /** Answering requests. */
    SERVING,
    /** A new version is being installed or loaded; the previous version keeps answering. */
    UPDATING,
    /** Verified and refused; the refusal says why. Nothing of it answers. */
    REFUSED,
    /** Stopped by a user; not answering. */
    STOPPED;

    /** The lower-case word used in listings. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

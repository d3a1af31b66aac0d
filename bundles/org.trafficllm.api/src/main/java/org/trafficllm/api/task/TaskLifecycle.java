package org.trafficllm.api.task;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.task.dto.TaskDTO;

/**
 * Registers, updates, rolls back and unregisters task bundles while the runtime
 * keeps answering. Each call returns when the task serves the new version or the
 * change was refused; a refused change leaves the version already serving in place
 * and fails with the reason.
 */
@ProviderType
public interface TaskLifecycle {

    /** Installs and starts a task bundle from a file path or URL. */
    TaskDTO register(String source) throws TaskException;

    /** Replaces the bundle of {@code task} with the jar at {@code source} (a file path or URL). */
    TaskDTO update(String task, String source) throws TaskException;

    /** Returns {@code task} to the version that served before the current one. */
    TaskDTO rollback(String task) throws TaskException;

    /** Uninstalls the bundle of {@code task}; requests already running finish. */
    TaskDTO unregister(String task) throws TaskException;
}

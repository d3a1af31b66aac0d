package org.trafficllm.api.task;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.task.dto.PackageRequestDTO;
import org.trafficllm.api.task.dto.PackagedTaskDTO;

/** Turns a trained adapter directory and its {@code task.json} into a task bundle jar. */
@ProviderType
public interface TaskPackager {

    /** Writes the bundle (signed when the request names a key) and describes it. */
    PackagedTaskDTO pack(PackageRequestDTO request) throws TaskException;
}

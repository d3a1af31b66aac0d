package org.trafficllm.api.task;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.task.dto.FeatureDTO;

/**
 * The features the runtime ships: OSGi Feature Model descriptors that group bundles
 * (core, training, one per task), and the bundle repository their ids resolve in.
 */
@ProviderType
public interface FeatureRepository {

    /** Every feature descriptor found, with whether its bundles are installed. */
    List<FeatureDTO> features() throws TaskException;

    /**
     * Installs and starts the bundles of the feature with this short name (e.g.
     * {@code task-mtd}) or full id that are not installed yet.
     */
    FeatureDTO install(String name) throws TaskException;
}

package org.trafficllm.eapeft.impl;

import java.util.concurrent.CompletableFuture;

import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;
import org.trafficllm.api.task.TaskState;
import org.trafficllm.api.task.dto.TaskDTO;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;

/**
 * The extender's record of one tracked task bundle. The fields are guarded by the
 * slot's monitor, except {@link #serving}, which requests read without locking.
 */
final class TaskSlot {
    final Bundle bundle;
    /** The version answering now, or null. */
    volatile ServingVersion serving;
    /** The revision {@link #serving} was loaded from. */
    BundleRevision servingRevision;
    /** The revision being verified and loaded, or null. */
    BundleRevision loadingRevision;
    /** Bumped by every load start and every retirement; a load finishing under an older attempt is dropped. */
    long attempt;
    /** The loaded revision waits for its base model's service to appear. */
    boolean waitingForBase;
    TaskState state = TaskState.INSTALLED;
    String refusal;
    /** The descriptor the current revision declares, read when it appeared; null when unreadable. */
    TaskDescriptorDTO declared;
    /** Completes when the load of {@link #outcomeRevision} has served or been refused. */
    CompletableFuture<TaskDTO> outcome = new CompletableFuture<>();
    BundleRevision outcomeRevision;
    boolean removed;

    TaskSlot(Bundle bundle) {
        this.bundle = bundle;
    }
}

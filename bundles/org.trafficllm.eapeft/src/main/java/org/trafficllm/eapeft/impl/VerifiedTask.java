package org.trafficllm.eapeft.impl;

import java.util.Map;

import org.trafficllm.api.task.dto.TaskDescriptorDTO;

/**
 * A task bundle that passed verification: its descriptor, the adapter files exactly
 * as digested, the test F1 of its metrics, its signer, and a digest of its whole
 * data (the digest header's own SHA-256) that identifies the content.
 */
record VerifiedTask(TaskDescriptorDTO descriptor, String symbolicName, String version, Map<String, byte[]> adapterFiles,
        String peftType, Double testF1, String signer, String contentDigest) {

    /** The same without the adapter bytes, which the model holds once loaded. */
    VerifiedTask withoutAdapterFiles() {
        return new VerifiedTask(descriptor, symbolicName, version, Map.of(), peftType, testF1, signer, contentDigest);
    }
}

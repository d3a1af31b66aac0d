package org.trafficllm.eapeft.impl;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;

import org.trafficllm.api.model.AdapterInfo;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.task.dto.TaskDescriptorDTO;

/**
 * One version of a task whose adapter is resident in its base model, with a lease
 * count: the registry holds one lease while the version serves, every request holds
 * one while it runs. When the last lease is released, the adapter is unloaded; so a
 * request that started on a version finishes on it, whatever was loaded meanwhile.
 */
final class ServingVersion {
    private static final System.Logger LOG = System.getLogger(ServingVersion.class.getName());

    final VerifiedTask task;
    final TaskDescriptorDTO descriptor;
    final String version;
    final String adapterId;
    final BaseModel base;
    final String baseName;
    final String baseVersion;
    final AdapterInfo adapter;
    /** Tokens a classification prompt leaves free for its answer ({@code PromptFormat.answerTokens}), measured once. */
    final int answerTokens;
    /** The base model's context length. */
    final int contextTokens;
    private final AtomicInteger leases = new AtomicInteger(1);

    ServingVersion(VerifiedTask task, String adapterId, BaseModel base, String baseName, String baseVersion,
            AdapterInfo adapter, int answerTokens, int contextTokens) {
        this.task = task;
        this.descriptor = task.descriptor();
        this.version = task.version();
        this.adapterId = adapterId;
        this.base = base;
        this.baseName = baseName;
        this.baseVersion = baseVersion;
        this.adapter = adapter;
        this.answerTokens = answerTokens;
        this.contextTokens = contextTokens;
    }

    /** Takes a lease; false once the version has been released for good. */
    boolean acquire() {
        while (true) {
            int n = leases.get();
            if (n == 0) {
                return false;
            }
            if (leases.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Returns a lease; the last one unloads the adapter. */
    void release() {
        if (leases.decrementAndGet() == 0) {
            try {
                base.unloadAdapter(adapterId);
            } catch (RuntimeException e) {
                // the base model may be closing with its bundle; its adapters go with it
                LOG.log(Level.DEBUG, "adapter " + adapterId + " not unloaded: " + e.getMessage());
            }
        }
    }

    /** Prefix tokens a prefix-tuning adapter adds in front of every prompt. */
    int prefixTokens() {
        return "PREFIX_TUNING".equals(adapter.peftType) ? adapter.rank : 0;
    }

    @Override
    public String toString() {
        return descriptor.id + " " + version;
    }
}

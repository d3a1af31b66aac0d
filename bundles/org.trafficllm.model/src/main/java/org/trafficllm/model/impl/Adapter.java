package org.trafficllm.model.impl;

import java.util.concurrent.atomic.AtomicInteger;

import ai.djl.ndarray.NDManager;

/**
 * A resident PEFT adapter. Its tensors live in its own manager, freed when the last
 * user lets go: the registry holds one reference while the adapter is registered,
 * and every request holds one while it runs, so replacing or unloading an adapter
 * never pulls weights from under a running request.
 */
abstract class Adapter {
    final String id;
    final AdapterConfig config;
    final NDManager manager;
    private final AtomicInteger references = new AtomicInteger(1);

    Adapter(String id, AdapterConfig config, NDManager manager) {
        this.id = id;
        this.config = config;
        this.manager = manager;
    }

    /** Takes a reference; false when the adapter was already released for good. */
    boolean acquire() {
        int n;
        do {
            n = references.get();
            if (n <= 0) {
                return false;
            }
        } while (!references.compareAndSet(n, n + 1));
        return true;
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            manager.close();
        }
    }

    boolean released() {
        return references.get() <= 0;
    }

    abstract int rank();

    abstract long parameterCount();
}

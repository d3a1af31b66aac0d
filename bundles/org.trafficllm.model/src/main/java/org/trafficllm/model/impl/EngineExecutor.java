package org.trafficllm.model.impl;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

import org.trafficllm.api.model.ModelException;

/**
 * The threads on which every DJL call runs. DJL looks up its engine and native
 * libraries through the thread context class loader, and settles on one engine per
 * JVM at the first call, so each thread here carries this bundle's class loader
 * (which sees the embedded DJL jars) from birth. PyTorch parallelises each operation
 * over the cores itself, so one thread is the default.
 */
@Component(service = EngineExecutor.class)
@Designate(ocd = EngineExecutor.Config.class)
public final class EngineExecutor implements AutoCloseable {
    static final String ENGINE = "PyTorch";
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ThreadLocal<Boolean> GRAD_OFF = ThreadLocal.withInitial(() -> false);
    private final ExecutorService threads;

    @ObjectClassDefinition(name = "TrafficLLM model engine")
    public @interface Config {
        @AttributeDefinition(description = "Threads running tensor work; PyTorch already uses every core per operation")
        int engineThreads() default 1;
    }

    @Activate
    public EngineExecutor(Config config) {
        this(Math.max(1, config.engineThreads()));
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    EngineExecutor(int threads) {
        ClassLoader loader = EngineExecutor.class.getClassLoader();
        this.threads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "trafficllm-model-" + COUNT.incrementAndGet());
            t.setContextClassLoader(loader);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs work on an engine thread and waits for it; failures come back as {@link ModelException}. */
    <T> T call(Callable<T> work) throws ModelException {
        Future<T> f = threads.submit(() -> {
            if (!GRAD_OFF.get()) {
                // PyTorch's autograd switch is per thread and starts on; here only a GradientCollector turns it on
                Engine.getEngine(ENGINE);
                JniUtils.setGradMode(false);
                GRAD_OFF.set(true);
            }
            return work.call();
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while waiting for the model", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ModelException m) {
                throw m;
            }
            throw new ModelException(String.valueOf(c.getMessage() == null ? c : c.getMessage()), c);
        }
    }

    /** A new root manager on the PyTorch engine; call from an engine thread. */
    static NDManager newRootManager() {
        return NDManager.newBaseManager(Engine.getEngine(ENGINE).defaultDevice(), ENGINE);
    }

    @Deactivate
    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

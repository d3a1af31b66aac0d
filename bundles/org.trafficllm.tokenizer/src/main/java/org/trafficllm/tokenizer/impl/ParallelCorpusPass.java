package org.trafficllm.tokenizer.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.trafficllm.api.tokenizer.TokenizerException;

/**
 * One pass over a corpus with several worker threads: the calling thread reads texts and hands
 * them on in batches; every worker owns its state, so nothing is shared while counting. A
 * failing worker stops the pass and its failure is reported.
 */
final class ParallelCorpusPass {
    private static final int BATCH_TEXTS = 256;
    private static final List<String> END = List.of();

    /** The per-thread state of a pass. */
    interface Worker {
        void text(String text);
    }

    private ParallelCorpusPass() {
    }

    /** Runs the pass and returns the workers, one per thread, for their results. */
    static <W extends Worker> List<W> run(CorpusReader corpus, int threads, Supplier<W> newWorker,
            ProgressReporter progress) throws TokenizerException {
        int n = Math.max(1, threads);
        BlockingQueue<List<String>> queue = new ArrayBlockingQueue<>(n * 4);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<W> workers = new ArrayList<>();
        List<Thread> pool = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            W worker = newWorker.get();
            workers.add(worker);
            Thread thread = new Thread(() -> {
                try {
                    for (List<String> batch = queue.take(); batch != END; batch = queue.take()) {
                        for (String text : batch) {
                            worker.text(text);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    queue.clear();
                }
            }, "tokenizer-corpus-" + t);
            thread.setDaemon(true);
            thread.start();
            pool.add(thread);
        }
        long[] texts = {0};
        List<List<String>> batch = new ArrayList<>(List.of(new ArrayList<>(BATCH_TEXTS)));
        try {
            corpus.read(text -> {
                batch.get(0).add(text);
                texts[0]++;
                if (batch.get(0).size() == BATCH_TEXTS) {
                    put(queue, batch.get(0), failure);
                    batch.set(0, new ArrayList<>(BATCH_TEXTS));
                    progress.update(texts[0]);
                }
            });
            if (!batch.get(0).isEmpty()) {
                put(queue, batch.get(0), failure);
            }
        } finally {
            for (Thread thread : pool) {
                put(queue, END, failure);
            }
            for (Thread thread : pool) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (failure.get() != null) {
            throw new TokenizerException("corpus: text processing failed: " + failure.get(), failure.get());
        }
        progress.finish(texts[0]);
        return workers;
    }

    /** Queues a batch; the end marker is always delivered, making room when the workers have failed. */
    private static void put(BlockingQueue<List<String>> queue, List<String> batch, AtomicReference<Throwable> failure)
            throws TokenizerException {
        try {
            while (!queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                if (failure.get() != null) {
                    if (batch != END) {
                        throw new TokenizerException("corpus: text processing failed: " + failure.get(), failure.get());
                    }
                    queue.clear();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (batch != END) {
                throw new TokenizerException("corpus: reading interrupted", e);
            }
        }
    }
}

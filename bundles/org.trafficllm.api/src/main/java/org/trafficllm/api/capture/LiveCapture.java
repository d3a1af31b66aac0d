package org.trafficllm.api.capture;

import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;

/**
 * A running capture on a network interface. Packets go to the handler on the
 * capture's own thread until {@link #close()}, the packet or time limit, or an error.
 */
@ProviderType
public interface LiveCapture extends AutoCloseable {

    /** True until the capture thread has stopped. */
    boolean isRunning();

    /** Waits for the capture to stop by itself; true when it stopped within the time. */
    boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException;

    /** Counters so far (final ones once stopped). */
    CaptureSummaryDTO summary();

    /** The error that stopped the capture, or {@code null}. */
    CaptureException failure();

    /** Stops capturing and waits for the capture thread to finish. */
    @Override
    void close();
}

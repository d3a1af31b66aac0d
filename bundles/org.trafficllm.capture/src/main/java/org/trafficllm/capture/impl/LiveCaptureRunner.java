package org.trafficllm.capture.impl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.LiveCapture;
import org.trafficllm.api.capture.PacketHandler;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;
import org.trafficllm.api.capture.dto.LiveCaptureOptions;

/**
 * A live capture: the handle is opened and filtered on the caller's thread (so a
 * wrong interface or filter fails at once), then one thread reads and dissects
 * until stopped. libpcap on Linux (TPACKET_V3) waits for the first packet without
 * a timeout, so a stop request or the time limit wakes the read with
 * {@code pcap_breakloop} instead of relying on the read timeout.
 */
final class LiveCaptureRunner implements LiveCapture {
    private final String interfaceName;
    private final LiveCaptureOptions options;
    private final PacketHandler handler;
    private final PcapHandle handle;
    private final int linkType;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object summaryLock = new Object();
    private final CaptureSummaryDTO summary = new CaptureSummaryDTO();
    private volatile boolean stopRequested;
    private volatile CaptureException failure;

    private LiveCaptureRunner(String interfaceName, LiveCaptureOptions options, PacketHandler handler, PcapHandle handle) {
        this.interfaceName = interfaceName;
        this.options = options;
        this.handler = handler;
        this.handle = handle;
        this.linkType = handle.getDlt().value();
        summary.source = interfaceName;
        summary.format = "live";
        summary.linkType = linkType;
        summary.linkTypeName = LinkLayer.name(linkType);
        thread = new Thread(this::run, "trafficllm-capture-" + interfaceName);
        thread.setDaemon(true);
    }

    static LiveCaptureRunner start(String interfaceName, LiveCaptureOptions requested, PacketHandler handler)
            throws CaptureException {
        LiveCaptureOptions options = requested == null ? new LiveCaptureOptions() : requested;
        PcapHandle handle;
        try {
            handle = Libpcap.call(() -> {
                PcapNetworkInterface device = org.pcap4j.core.Pcaps.getDevByName(interfaceName);
                if (device == null) {
                    throw new PcapNativeException("no such interface");
                }
                return new PcapHandle.Builder(interfaceName)
                        .snaplen(options.snapLength)
                        .promiscuousMode(options.promiscuous ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                                : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                        .timeoutMillis(Math.max(1, options.readTimeoutMillis))
                        .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                        .immediateMode(true)
                        .build();
            });
        } catch (PcapNativeException e) {
            throw new CaptureException(interfaceName + ": cannot capture: " + Libpcap.message(e), 0, e);
        }
        try {
            if (!LinkLayer.isSupported(handle.getDlt().value())) {
                throw new CaptureException(interfaceName + ": unsupported link type " + handle.getDlt().value() + " ("
                        + LinkLayer.name(handle.getDlt().value()) + ")", 0);
            }
            if (options.filter != null && !options.filter.isBlank()) {
                Libpcap.call(() -> {
                    try {
                        handle.setFilter(options.filter, BpfProgram.BpfCompileMode.OPTIMIZE);
                    } catch (NotOpenException e) {
                        throw new PcapNativeException("capture handle closed");
                    }
                    return null;
                });
            }
        } catch (PcapNativeException e) {
            handle.close();
            throw new CaptureException(interfaceName + ": invalid filter '" + options.filter + "': " + Libpcap.message(e), 0, e);
        } catch (CaptureException e) {
            handle.close();
            throw e;
        }
        LiveCaptureRunner runner = new LiveCaptureRunner(interfaceName, options, handler, handle);
        runner.thread.start();
        if (options.durationMillis > 0) {
            CompletableFuture.delayedExecutor(options.durationMillis, TimeUnit.MILLISECONDS).execute(runner::requestStop);
        }
        return runner;
    }

    private void run() {
        Thread.currentThread().setContextClassLoader(LiveCaptureRunner.class.getClassLoader());
        DissectedFrame frame = new DissectedFrame();
        long started = System.nanoTime();
        long limit = options.maxPackets > 0 ? options.maxPackets : Long.MAX_VALUE;
        long packets = 0;
        try {
            NativeFrameSource source = new NativeFrameSource(handle);
            while (!stopRequested && packets < limit) {
                int status = source.next();
                if (status == NativeFrameSource.TIMEOUT) {
                    continue;
                }
                if (status == NativeFrameSource.END) {
                    break;
                }
                if (status == NativeFrameSource.ERROR) {
                    failure = new CaptureException(interfaceName + ": capture failed after packet " + packets + ": "
                            + CaptureFileLayout.oneLine(source.error()), packets);
                    break;
                }
                packets++;
                frame.dissect(source.buffer(), 0, source.captureLength(), source.wireLength(), linkType, packets,
                        source.timestampNanos());
                count(frame, started);
                handler.packet(frame);
            }
        } catch (RuntimeException e) {
            failure = new CaptureException(interfaceName + ": packet handler failed at packet " + packets + ": " + e,
                    packets, e);
        } finally {
            handle.close();
            synchronized (summaryLock) {
                summary.elapsedNanos = System.nanoTime() - started;
            }
            stopped.countDown();
        }
    }

    private void count(DissectedFrame frame, long started) {
        synchronized (summaryLock) {
            CaptureTally.add(summary, frame);
            summary.elapsedNanos = System.nanoTime() - started;
        }
    }

    @Override
    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    @Override
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    @Override
    public CaptureSummaryDTO summary() {
        synchronized (summaryLock) {
            CaptureSummaryDTO copy = new CaptureSummaryDTO();
            copy.source = summary.source;
            copy.format = summary.format;
            copy.linkType = summary.linkType;
            copy.linkTypeName = summary.linkTypeName;
            copy.packets = summary.packets;
            copy.capturedBytes = summary.capturedBytes;
            copy.wireBytes = summary.wireBytes;
            copy.truncatedPackets = summary.truncatedPackets;
            copy.nonIpPackets = summary.nonIpPackets;
            copy.firstTimestampNanos = summary.firstTimestampNanos;
            copy.lastTimestampNanos = summary.lastTimestampNanos;
            copy.elapsedNanos = summary.elapsedNanos;
            return copy;
        }
    }

    @Override
    public CaptureException failure() {
        return failure;
    }

    private void requestStop() {
        stopRequested = true;
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // The capture thread has already stopped and closed the handle.
        }
    }

    @Override
    public void close() {
        requestStop();
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.trafficllm.api.capture;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.capture.dto.ReadOptions;

/** Creates flow tables and assembles the flows of capture files. */
@ProviderType
public interface FlowService {

    /** A new empty table that reports finished flows to {@code handler}. */
    FlowTable newTable(FlowTableOptions options, FlowHandler handler);

    /**
     * Reads {@code file} through a new table and flushes it at the end, also when
     * reading fails: flows seen before a failure are delivered before the exception.
     */
    CaptureSummaryDTO readFlows(Path file, ReadOptions readOptions, FlowTableOptions options, FlowHandler handler)
            throws CaptureException;

    /** As {@link #readFlows(Path, ReadOptions, FlowTableOptions, FlowHandler)}, reporting progress ({@code listener} may be null). */
    CaptureSummaryDTO readFlows(Path file, ReadOptions readOptions, FlowTableOptions options, FlowHandler handler,
            CaptureProgressListener listener) throws CaptureException;
}

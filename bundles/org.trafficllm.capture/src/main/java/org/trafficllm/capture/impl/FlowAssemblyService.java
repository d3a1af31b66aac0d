package org.trafficllm.capture.impl;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.CaptureProgressListener;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.FlowHandler;
import org.trafficllm.api.capture.FlowService;
import org.trafficllm.api.capture.FlowTable;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;
import org.trafficllm.api.capture.dto.FlowTableOptions;
import org.trafficllm.api.capture.dto.ReadOptions;

/** Flow tables, and flows of whole capture files read through the capture service. */
@Component(service = FlowService.class)
public class FlowAssemblyService implements FlowService {
    private final CaptureService captures;

    @Activate
    public FlowAssemblyService(@Reference CaptureService captures) {
        this.captures = captures;
    }

    @Override
    public FlowTable newTable(FlowTableOptions options, FlowHandler handler) {
        return new BidirectionalFlowTable(options, handler);
    }

    @Override
    public CaptureSummaryDTO readFlows(Path file, ReadOptions readOptions, FlowTableOptions options, FlowHandler handler)
            throws CaptureException {
        return readFlows(file, readOptions, options, handler, null);
    }

    @Override
    public CaptureSummaryDTO readFlows(Path file, ReadOptions readOptions, FlowTableOptions options, FlowHandler handler,
            CaptureProgressListener listener) throws CaptureException {
        // Flushed after a damaged read, so the flows before the damage count; not after the handler
        // threw: it is not called again, and its exception (a cancelled build, say) leaves unchanged.
        FlowTable table = newTable(options, handler);
        CaptureSummaryDTO summary;
        try {
            summary = captures.read(file, readOptions, table, listener);
        } catch (CaptureException e) {
            table.flush();
            throw e;
        }
        table.flush();
        return summary;
    }
}

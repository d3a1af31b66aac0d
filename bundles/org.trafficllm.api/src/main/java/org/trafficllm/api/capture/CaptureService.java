package org.trafficllm.api.capture;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.trafficllm.api.capture.dto.CaptureInterfaceDTO;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;
import org.trafficllm.api.capture.dto.LiveCaptureOptions;
import org.trafficllm.api.capture.dto.ReadOptions;

/**
 * Reads pcap and pcapng files, captures from interfaces and writes pcap files.
 * Every packet is dissected before it reaches the handler.
 */
@ProviderType
public interface CaptureService {

    /**
     * Reads every frame of {@code file} into {@code handler}.
     *
     * @throws CaptureException when the file is missing, unreadable, of an
     *         unsupported link type, or damaged; the message names the file and the
     *         place, and the frames before the damage were delivered
     */
    CaptureSummaryDTO read(Path file, PacketHandler handler) throws CaptureException;

    /** Reads with a BPF filter, a packet limit and progress reports ({@code listener} may be null). */
    CaptureSummaryDTO read(Path file, ReadOptions options, PacketHandler handler, CaptureProgressListener listener)
            throws CaptureException;

    /** The interfaces live captures can open. */
    List<CaptureInterfaceDTO> interfaces() throws CaptureException;

    /** Starts capturing on {@code interfaceName}; the capture runs until closed or a limit is hit. */
    LiveCapture capture(String interfaceName, LiveCaptureOptions options, PacketHandler handler)
            throws CaptureException;

    /** Creates (or replaces) a pcap file with microsecond timestamps. */
    PcapWriter createPcap(Path file, int linkType, int snapLength) throws CaptureException;
}

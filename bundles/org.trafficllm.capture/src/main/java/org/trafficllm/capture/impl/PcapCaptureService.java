package org.trafficllm.capture.impl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;
import org.trafficllm.api.capture.CaptureException;
import org.trafficllm.api.capture.CaptureProgressListener;
import org.trafficllm.api.capture.CaptureService;
import org.trafficllm.api.capture.LiveCapture;
import org.trafficllm.api.capture.PacketHandler;
import org.trafficllm.api.capture.PcapWriter;
import org.trafficllm.api.capture.dto.CaptureInterfaceDTO;
import org.trafficllm.api.capture.dto.CaptureSummaryDTO;
import org.trafficllm.api.capture.dto.LiveCaptureOptions;
import org.trafficllm.api.capture.dto.ReadOptions;

/** The capture service over pcap4j and libpcap. */
@Component(service = CaptureService.class)
@Designate(ocd = CaptureConfiguration.class)
public class PcapCaptureService implements CaptureService {
    private final OfflineReader reader;

    @Activate
    public PcapCaptureService(CaptureConfiguration configuration) {
        Libpcap.configure(configuration.libpcap());
        reader = new OfflineReader(configuration.progressIntervalMillis());
    }

    /** A service with the default configuration, for use without a framework. */
    public PcapCaptureService() {
        Libpcap.configure(null);
        reader = new OfflineReader(500);
    }

    @Override
    public CaptureSummaryDTO read(Path file, PacketHandler handler) throws CaptureException {
        return reader.read(file, null, handler, null);
    }

    @Override
    public CaptureSummaryDTO read(Path file, ReadOptions options, PacketHandler handler,
            CaptureProgressListener listener) throws CaptureException {
        return reader.read(file, options, handler, listener);
    }

    @Override
    public List<CaptureInterfaceDTO> interfaces() throws CaptureException {
        try {
            return Libpcap.call(() -> {
                List<CaptureInterfaceDTO> result = new ArrayList<>();
                for (PcapNetworkInterface device : Pcaps.findAllDevs()) {
                    CaptureInterfaceDTO dto = new CaptureInterfaceDTO();
                    dto.name = device.getName();
                    dto.description = device.getDescription();
                    dto.loopback = device.isLoopBack();
                    dto.up = device.isUp();
                    dto.addresses = new ArrayList<>();
                    for (PcapAddress address : device.getAddresses()) {
                        if (address.getAddress() != null) {
                            dto.addresses.add(address.getAddress().getHostAddress());
                        }
                    }
                    result.add(dto);
                }
                return result;
            });
        } catch (PcapNativeException e) {
            throw new CaptureException("interfaces: " + Libpcap.message(e), 0, e);
        }
    }

    @Override
    public LiveCapture capture(String interfaceName, LiveCaptureOptions options, PacketHandler handler)
            throws CaptureException {
        return LiveCaptureRunner.start(interfaceName, options, handler);
    }

    @Override
    public PcapWriter createPcap(Path file, int linkType, int snapLength) throws CaptureException {
        return PcapFileWriter.create(file, linkType, snapLength);
    }
}

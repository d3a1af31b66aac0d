package org.trafficllm.api.capture.dto;

import java.util.List;

import org.osgi.dto.DTO;

/** A network interface a live capture can open. */
public class CaptureInterfaceDTO extends DTO {
    /** The name to pass to a live capture, e.g. {@code eth0} or {@code lo}. */
    public String name;
    /** A description, when the system gives one. */
    public String description;
    /** The interface's IP addresses in text form. */
    public List<String> addresses;
    /** True for a loopback interface. */
    public boolean loopback;
    /** True when the interface is up. */
    public boolean up;
}

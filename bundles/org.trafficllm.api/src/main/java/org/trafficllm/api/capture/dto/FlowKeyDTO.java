package org.trafficllm.api.capture.dto;

import org.osgi.dto.DTO;

/** The identity of a flow, client (first sender) first. */
public class FlowKeyDTO extends DTO {
    /** 4 or 6. */
    public int ipVersion;
    /** IP protocol number (6 TCP, 17 UDP, 1 ICMP...). */
    public int protocol;
    /** The client's address in text form. */
    public String clientAddress;
    /** The client's port, 0 for protocols without ports. */
    public int clientPort;
    /** The server's address in text form. */
    public String serverAddress;
    /** The server's port, 0 for protocols without ports. */
    public int serverPort;
}

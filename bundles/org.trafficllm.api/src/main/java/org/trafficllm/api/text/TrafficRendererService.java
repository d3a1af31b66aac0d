package org.trafficllm.api.text;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Names a text format on a renderer or composer component. The name becomes the
 * service property {@value #NAME}; a consumer selects a format with a filter such as
 * {@code (trafficllm.renderer.name=traffic-words)}. A {@link PacketComposer} carries
 * the name of the format it reads, so a renderer and its inverse share one name.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TrafficRendererService {
    /** Prefix of the generated service property. */
    String PREFIX_ = "trafficllm.renderer.";

    /** The service property holding the format name. */
    String NAME = "trafficllm.renderer.name";

    /** TrafficLLM's per-packet {@code field: value} text. */
    String TRAFFIC_WORDS = "traffic-words";

    /** TrafficLLM's per-flow {@code <pck>}-joined hex of the first packets. */
    String FLOW_BYTES = "flow-bytes";

    /** TrafficLLM's web-attack JSON {@code {"method","url","body"}}. */
    String HTTP_REQUEST = "http-request";

    /**
     * A flow's application payload: {@code <pck>} and the hex of the first 784 bytes
     * of its transport payloads in packet order, trailing zero bytes cut (the form of
     * DeepTraffic's USTC-TFC2016 session records).
     */
    String PAYLOAD_BYTES = "payload-bytes";

    /**
     * {@link #FLOW_BYTES} preceded by the name the flow asks for in clear, as a tshark
     * field: {@code tls.handshake.extensions_server_name: <name>, <pck>...} (TLS over TCP
     * or QUIC), {@code http.host: <name>, ...} or {@code dns.qry.name: <name>, ...}; flow
     * bytes alone when there is none.
     */
    String FLOW_BYTES_NAMES = "flow-bytes-names";

    /**
     * {@link #FLOW_BYTES} preceded by the flow's shape: packets and wire bytes each way
     * (client first), duration in seconds, and the payload sizes of the first packets
     * with their direction: {@code flow.packets: 13 11, flow.bytes: 2345 2778,
     * flow.duration: 1.520, flow.payloads: >517 <1460 >0, <pck>...}.
     */
    String FLOW_BYTES_SHAPE = "flow-bytes-shape";

    /**
     * {@link #HTTP_REQUEST} preceded by the shape of the request's arguments (query, then a
     * form body): each one's name, decoded length and character classes, as a web
     * anomaly detector models them: {@code request.args: login 6 a9, ntc 15 9,
     * {"method": ...}}.
     */
    String HTTP_REQUEST_SHAPE = "http-request-shape";

    /** The format's name, e.g. {@value #TRAFFIC_WORDS}. */
    String name();
}

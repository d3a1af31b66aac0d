package org.trafficllm.capture.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "TrafficLLM capture", description = "Reading, live capture and pcap writing")
@interface CaptureConfiguration {
    @AttributeDefinition(description = "libpcap to load: a file path or a library name. Empty finds it "
            + "(libpcap.so, then libpcap.so.N in the system library directories). Read once per JVM, before the first capture.")
    String libpcap() default "";

    @AttributeDefinition(description = "Least time between two progress reports of a file read, in milliseconds")
    long progressIntervalMillis() default 500;
}

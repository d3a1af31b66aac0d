/**
 * The capture host: pcap4j and JNA embedded with libpcap found at run time, the
 * offline and live readers, the allocation-free raw-byte dissector, the pcap
 * writer and the bidirectional flow table, offered as DS components. Not exported.
 */
package org.trafficllm.capture.impl;

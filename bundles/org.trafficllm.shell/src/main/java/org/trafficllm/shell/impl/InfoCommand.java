package org.trafficllm.shell.impl;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code tllm:info}: what this runtime is made of and where it keeps its files. */
@Component(service = InfoCommand.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=info" })
public class InfoCommand {
    private final BundleContext context;

    @Activate
    public InfoCommand(BundleContext context) {
        this.context = context;
    }

    @Descriptor("show the runtime: framework, TrafficLLM bundles and their states, directories")
    public String info() {
        Bundle system = context.getBundle(0);
        StringBuilder out = new StringBuilder();
        out.append("framework   ").append(system.getSymbolicName()).append(' ').append(system.getVersion()).append('\n');
        out.append("java        ").append(System.getProperty("java.version")).append(" (")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MB)\n");
        out.append("deploy dir  ").append(orNone(context.getProperty("felix.fileinstall.dir"))).append('\n');
        out.append("data        ").append(orNone(System.getenv("TRAFFICLLM_DATA"))).append('\n');
        out.append("bundles\n");
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (name != null && name.startsWith("org.trafficllm")) {
                out.append(String.format("  %-4d %-9s %s %s%n", b.getBundleId(), state(b.getState()), name, b.getVersion()));
            }
        }
        return out.toString().stripTrailing();
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? "(not set)" : value;
    }

    static String state(int state) {
        switch (state) {
        case Bundle.ACTIVE:
            return "ACTIVE";
        case Bundle.RESOLVED:
            return "RESOLVED";
        case Bundle.INSTALLED:
            return "INSTALLED";
        case Bundle.STARTING:
            return "STARTING";
        case Bundle.STOPPING:
            return "STOPPING";
        default:
            return "UNINSTALLED";
        }
    }
}

package org.trafficllm.shell.impl;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code tllm:help}: lists the {@code tllm} commands, or explains one, from their {@code @Descriptor}s. */
@Component(service = HelpCommand.class, property = {
        "osgi.command.scope=tllm",
        "osgi.command.function=help" })
public class HelpCommand {
    private final BundleContext context;

    @Activate
    public HelpCommand(BundleContext context) {
        this.context = context;
    }

    @Descriptor("list the tllm commands")
    public String help() throws InvalidSyntaxException {
        Map<String, String> summary = new TreeMap<>();
        commands().forEach((name, methods) -> summary.put(name, describe(methods.get(0))));
        StringBuilder out = new StringBuilder("TrafficLLM commands (trafficllm <command> [options] [args], or tllm:<command> in the shell):\n");
        int width = summary.keySet().stream().mapToInt(String::length).max().orElse(8);
        summary.forEach((name, text) -> out.append("  ").append(pad(name, width)).append("  ").append(text).append('\n'));
        out.append("'help <command>' explains one command.");
        return out.toString();
    }

    @Descriptor("explain one tllm command")
    public String help(@Descriptor("command name") String command) throws InvalidSyntaxException {
        String name = OneCommandRunner.commandName(command);
        List<Method> methods = commands().get(name);
        if (methods == null) {
            throw new IllegalArgumentException("unknown command '" + command + "'; 'help' lists the commands");
        }
        StringBuilder out = new StringBuilder();
        for (Method m : methods) {
            out.append(name).append(" - ").append(describe(m)).append('\n');
            StringBuilder usage = new StringBuilder("  usage: ").append(name);
            StringBuilder options = new StringBuilder();
            StringBuilder arguments = new StringBuilder();
            Annotation[][] annotations = m.getParameterAnnotations();
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                Parameter p = find(annotations[i], Parameter.class);
                Descriptor d = find(annotations[i], Descriptor.class);
                String text = d == null ? "" : d.value();
                if (types[i].getName().equals("org.apache.felix.service.command.CommandSession")) {
                    continue;
                }
                if (p != null) {
                    boolean flag = Parameter.UNSPECIFIED.equals(p.presentValue()) == false;
                    String names = String.join(", ", p.names());
                    usage.append(" [").append(p.names()[0]).append(flag ? "" : " <value>").append(']');
                    options.append("    ").append(pad(names + (flag ? "" : " <value>"), 28)).append(' ').append(text);
                    if (!flag && !Parameter.UNSPECIFIED.equals(p.absentValue()) && !p.absentValue().isEmpty()
                            && !text.contains("(default")) {
                        options.append(" (default: ").append(p.absentValue()).append(')');
                    }
                    options.append('\n');
                } else {
                    String argName = "<" + (text.isEmpty() ? "arg" + i : firstWord(text)) + ">";
                    usage.append(' ').append(argName);
                    arguments.append("    ").append(pad(argName, 28)).append(' ').append(text).append('\n');
                }
            }
            out.append(usage).append('\n');
            if (arguments.length() > 0) {
                out.append("  arguments:\n").append(arguments);
            }
            if (options.length() > 0) {
                out.append("  options:\n").append(options);
            }
        }
        return out.toString().stripTrailing();
    }

    private Map<String, List<Method>> commands() throws InvalidSyntaxException {
        Map<String, List<Method>> byName = new TreeMap<>();
        ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(osgi.command.scope=tllm)");
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Object service = context.getService(ref);
            if (service == null) {
                continue;
            }
            try {
                for (String function : functions(ref.getProperty("osgi.command.function"))) {
                    for (Method m : service.getClass().getMethods()) {
                        // Gogo calls a function named like a Java keyword through "_" + name.
                        if (m.getName().equals(function) || m.getName().equals("_" + function)) {
                            byName.computeIfAbsent(function, k -> new ArrayList<>()).add(m);
                        }
                    }
                }
            } finally {
                context.ungetService(ref);
            }
        }
        byName.values().forEach(list -> list.sort((a, b) -> Integer.compare(a.getParameterCount(), b.getParameterCount())));
        return byName;
    }

    private static List<String> functions(Object property) {
        List<String> names = new ArrayList<>();
        if (property instanceof String[]) {
            names.addAll(List.of((String[]) property));
        } else if (property != null) {
            names.add(property.toString());
        }
        return names;
    }

    private static String describe(Method m) {
        Descriptor d = m.getAnnotation(Descriptor.class);
        return d == null ? "" : d.value();
    }

    private static <A extends Annotation> A find(Annotation[] annotations, Class<A> type) {
        for (Annotation a : annotations) {
            if (type.isInstance(a)) {
                return type.cast(a);
            }
        }
        return null;
    }

    private static String firstWord(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}

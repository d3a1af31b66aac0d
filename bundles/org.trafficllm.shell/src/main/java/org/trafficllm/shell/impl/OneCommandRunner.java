package org.trafficllm.shell.impl;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Runs one {@code tllm:} command given on the launcher's command line
 * ({@code trafficllm detect capture.pcap --ask "..."}), prints its result and
 * hands the exit code to the launcher.
 * <p>
 * The bnd launcher registers itself with the property {@code launcher.arguments}
 * and runs a {@code Callable<Integer>} registered with {@code main.thread=true} on
 * its main thread, exiting with the returned code. Without arguments the
 * interactive Gogo shell is the front end and the main thread only waits for the
 * framework to stop.
 */
@Component(immediate = true)
public class OneCommandRunner {

    static final String SCOPE = "tllm";
    /** Set by the TrafficLLM runtime's bndrun: this launcher's main thread is ours to use. */
    static final String RUNTIME_PROPERTY = "trafficllm.runtime";

    private final CommandProcessor processor;
    private final ServiceRegistration<?> registration;
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Activate
    public OneCommandRunner(BundleContext context,
            @Reference CommandProcessor processor,
            @Reference(service = Object.class, target = "(launcher.arguments=*)",
                    cardinality = ReferenceCardinality.OPTIONAL,
                    policyOption = ReferencePolicyOption.GREEDY) Map<String, Object> launcher) {
        this.processor = processor;
        // Other launchers (a test harness, an IDE) own their main thread.
        if (launcher == null || !Boolean.parseBoolean(context.getProperty(RUNTIME_PROPERTY))) {
            registration = null;
            return;
        }
        String[] args = arguments(launcher.get("launcher.arguments"));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("main.thread", Boolean.TRUE);
        registration = context.registerService(Callable.class.getName(), new MainThread(context, args), props);
    }

    @Deactivate
    void deactivate() {
        stopped.countDown();
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
        }
    }

    int run(BundleContext context, String[] given, PrintStream out, PrintStream err) {
        String[] args = withHelp(given);
        String function = commandName(args[0]);
        CommandAvailability availability = new CommandAvailability(context, SCOPE, function);
        if (!availability.await(120_000L, Long.getLong("trafficllm.command.grace.ms", 2_000L))) {
            err.println("trafficllm: unknown command '" + args[0] + "'; 'trafficllm help' lists the commands");
            return 2;
        }
        try {
            DeployDirectory.awaitStarted(context, Long.getLong("trafficllm.deploy.wait.ms", 60_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
        try (CommandSession session = processor.createSession(System.in, out, err)) {
            StringBuilder line = new StringBuilder(SCOPE).append(':').append(function);
            for (int i = 1; i < args.length; i++) {
                // Passing each argument through a session variable keeps it one token,
                // whatever quotes, spaces or $ it contains.
                String name = "trafficllm_arg" + i;
                session.put(name, args[i]);
                line.append(" $").append(name);
            }
            Object result = session.execute(line);
            if (result != null) {
                CharSequence text = session.format(result, Converter.INSPECT);
                out.println(text);
            }
            out.flush();
            return 0;
        } catch (Exception e) {
            err.println("trafficllm " + function + ": " + CommandErrors.oneLine(e));
            return 1;
        }
    }

    /**
     * The launcher inspects the generic signature of the main-thread service, so
     * this is a named class rather than a lambda.
     */
    private final class MainThread implements Callable<Integer> {
        private final BundleContext context;
        private final String[] args;

        MainThread(BundleContext context, String[] args) {
            this.context = context;
            this.args = args;
        }

        @Override
        public Integer call() throws InterruptedException {
            if (args.length > 0) {
                // Gogo has replaced System.out/err by streams that forward to the
                // current session; a session writing to them would forward to itself.
                PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
                PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
                return run(context, args, out, err);
            }
            // Interactive: the Gogo console owns the terminal; leaving it stops the
            // framework, which deactivates this component: a normal end.
            stopped.await();
            return 0;
        }
    }

    /** {@code --help <command>} and {@code <command> ... --help} both mean {@code help <command>}. */
    static String[] withHelp(String[] args) {
        if (isHelp(args[0])) {
            String[] out = args.clone();
            out[0] = "help";
            return out;
        }
        for (int i = 1; i < args.length; i++) {
            if (isHelp(args[i]) && !commandName(args[0]).equals("help")) {
                return new String[] {"help", commandName(args[0])};
            }
        }
        return args;
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    static String commandName(String arg) {
        int colon = arg.indexOf(':');
        return colon >= 0 && arg.substring(0, colon).equals(SCOPE) ? arg.substring(colon + 1) : arg;
    }

    private static String[] arguments(Object value) {
        if (value instanceof String[]) {
            return (String[]) value;
        }
        if (value instanceof Object[]) {
            return Arrays.stream((Object[]) value).map(String::valueOf).toArray(String[]::new);
        }
        return new String[0];
    }
}

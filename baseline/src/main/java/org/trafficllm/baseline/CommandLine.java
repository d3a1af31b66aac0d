package org.trafficllm.baseline;

import java.util.Map;

/** The command-line tools' shared reading of {@code --flag value} pairs, switches and numbers. */
final class CommandLine {
    private CommandLine() {
    }

    /** Takes one option's value. */
    interface Option {
        void set(String flag, String value) throws UsageException;
    }

    /**
     * Reads the arguments in order: a switch runs its action, any other flag takes the
     * next argument as its value. Returns {@code false} as soon as {@code --help} or
     * {@code -h} comes (the caller prints its usage).
     */
    static boolean parse(String[] args, Map<String, Runnable> switches, Option option) throws UsageException {
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return false;
            }
            Runnable action = switches.get(flag);
            if (action != null) {
                action.run();
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(flag + ": needs a value");
            }
            option.set(flag, args[++i]);
        }
        return true;
    }

    static void require(Object value, String flag) throws UsageException {
        if (value == null) {
            throw new UsageException(flag + " is required (see --help)");
        }
    }

    static long number(String flag, String value) throws UsageException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + ": '" + value + "' is not a whole number");
        }
    }

    static int between(String flag, String value, int min, int max) throws UsageException {
        long n = number(flag, value);
        if (n < min || n > max) {
            throw new UsageException(flag + ": " + value + " is not between " + min + " and " + max);
        }
        return (int) n;
    }

    /** A command line that cannot be run: reported in one line, exit code 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}

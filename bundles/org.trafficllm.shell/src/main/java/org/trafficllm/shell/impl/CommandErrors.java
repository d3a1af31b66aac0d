package org.trafficllm.shell.impl;

import java.lang.reflect.InvocationTargetException;

/** Turns an exception from a command into the one line a user reads. */
final class CommandErrors {
    private CommandErrors() {
    }

    static String oneLine(Throwable e) {
        Throwable t = e;
        while ((t instanceof InvocationTargetException || t.getMessage() == null) && t.getCause() != null) {
            t = t instanceof InvocationTargetException ? ((InvocationTargetException) t).getTargetException() : t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        return message.replace('\n', ' ').replace('\r', ' ').trim();
    }
}

package org.trafficllm.shell.impl;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Waits until a Gogo command function is registered. Bundles start in order and
 * DS activates components afterwards, so a command named on the launcher's command
 * line may appear a moment after the launcher is ready to run it. Once the
 * framework has reached its start level, a command that is still missing gets a
 * short grace period (its component may wait for a service that registers
 * asynchronously) before it is declared unknown.
 */
final class CommandAvailability {
    private final BundleContext context;
    private final Filter filter;

    CommandAvailability(BundleContext context, String scope, String function) {
        this.context = context;
        try {
            this.filter = FrameworkUtil.createFilter("(&(osgi.command.scope=" + scope + ")(osgi.command.function="
                    + escape(function) + "))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("command name '" + function + "' is not valid", e);
        }
    }

    boolean await(long startTimeoutMillis, long graceMillis) {
        CountDownLatch found = new CountDownLatch(1);
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter, null) {
            @Override
            public Object addingService(ServiceReference<Object> reference) {
                found.countDown();
                return reference;
            }
        };
        tracker.open(true);
        try {
            long deadline = System.currentTimeMillis() + startTimeoutMillis;
            Bundle system = context.getBundle(0);
            while (system.getState() != Bundle.ACTIVE && found.getCount() > 0 && System.currentTimeMillis() < deadline) {
                found.await(50, TimeUnit.MILLISECONDS);
            }
            return found.await(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            tracker.close();
        }
    }

    private static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}

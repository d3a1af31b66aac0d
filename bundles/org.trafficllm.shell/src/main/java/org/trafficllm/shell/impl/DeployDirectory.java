package org.trafficllm.shell.impl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The hot-deploy directory FileInstall watches. A one-shot command runs once the
 * bundles lying in it at start-up are installed and started, so that
 * {@code trafficllm detect ...} sees the tasks and models deployed there.
 */
final class DeployDirectory {
    private DeployDirectory() {
    }

    /** Waits until every jar in the directory is an active bundle, or the time is up. */
    static void awaitStarted(BundleContext context, long timeoutMillis) throws InterruptedException {
        String dir = context.getProperty("felix.fileinstall.dir");
        if (dir == null || dir.isBlank()) {
            return;
        }
        List<Path> jars = jars(Path.of(dir));
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!jars.isEmpty() && System.currentTimeMillis() < deadline) {
            jars.removeIf(jar -> active(context, jar));
            if (!jars.isEmpty()) {
                Thread.sleep(50);
            }
        }
    }

    private static boolean active(BundleContext context, Path jar) {
        String uri = jar.toUri().toString();
        String path = jar.toString();
        for (Bundle b : context.getBundles()) {
            String location = b.getLocation();
            if ((location.equals(uri) || location.endsWith(path)) && b.getState() == Bundle.ACTIVE) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> jars(Path dir) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path f : files) {
                jars.add(f.toAbsolutePath().normalize());
            }
        } catch (IOException e) {
            // no directory, no bundles to wait for
        }
        return jars;
    }
}

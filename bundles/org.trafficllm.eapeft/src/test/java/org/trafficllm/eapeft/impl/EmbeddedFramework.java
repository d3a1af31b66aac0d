package org.trafficllm.eapeft.impl;

import org.trafficllm.dataset.impl.BuiltInTaskCatalog;
import org.trafficllm.dataset.impl.TaskPromptFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.trafficllm.api.model.BaseModel;

/**
 * A real Felix framework for open-box tests of the extender: bundle events come
 * from the framework, the extender and the lifecycle service are instantiated by
 * hand and given a base model stand-in. Stand-in bundles provide the base-model and
 * extender capabilities task bundles require.
 */
final class EmbeddedFramework implements AutoCloseable {
    final Framework framework;
    final BundleContext context;
    final RecordingBaseModel model = new RecordingBaseModel();
    final TaskExtender extender = new TaskExtender();
    final TaskLifecycleService lifecycle;
    final Path work;

    EmbeddedFramework(Path dir) throws Exception {
        work = dir.resolve("work");
        framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                TaskExtender.WORK_PROPERTY, work.toString(),
                "felix.log.level", "0"));
        framework.start();
        context = framework.getBundleContext();
        install("test.basemodel.llamatiny", "Provide-Capability",
                "trafficllm.basemodel;trafficllm.basemodel=llama-tiny;version:Version=1.0.0;arch=llama").start();
        install("test.extender", "Provide-Capability", "osgi.extender;osgi.extender=trafficllm.task;version:Version=1.0.0")
                .start();
        extender.format = new TaskPromptFormat(new BuiltInTaskCatalog());
        extender.addBaseModel(model, Map.of(BaseModel.NAME, "llama-tiny", BaseModel.VERSION, "1.0.0"));
        extender.activate(context, extenderConfig(false, "", "", 3));
        lifecycle = new TaskLifecycleService(extender, context, lifecycleConfig(30));
    }

    /** Installs a manifest-only bundle with one extra header. */
    Bundle install(String symbolicName, String header, String value) throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue(header, value);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new JarOutputStream(bytes, mf).close();
        return context.installBundle(symbolicName, new ByteArrayInputStream(bytes.toByteArray()));
    }

    Bundle install(Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            return context.installBundle(jar.toUri().toString(), in);
        }
    }

    void update(Bundle bundle, Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            bundle.update(in);
        }
    }

    @Override
    public void close() throws Exception {
        extender.deactivate();
        framework.stop();
        framework.waitForStop(10_000);
    }

    static TaskExtender.Config extenderConfig(boolean require, String keystore, String password, int kept) {
        return new TaskExtender.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TaskExtender.Config.class;
            }

            @Override
            public boolean requireSignatures() {
                return require;
            }

            @Override
            public String trustedKeystore() {
                return keystore;
            }

            @Override
            public String trustedKeystoreType() {
                return "PKCS12";
            }

            @Override
            public String _trustedKeystorePassword() {
                return password;
            }

            @Override
            public int keptVersions() {
                return kept;
            }

            @Override
            public int settleSeconds() {
                return 2;
            }
        };
    }

    static TaskLifecycleService.Config lifecycleConfig(int seconds) {
        return new TaskLifecycleService.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TaskLifecycleService.Config.class;
            }

            @Override
            public int loadTimeoutSeconds() {
                return seconds;
            }
        };
    }
}

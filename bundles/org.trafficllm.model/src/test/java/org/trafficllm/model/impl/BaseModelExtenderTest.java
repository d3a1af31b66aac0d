package org.trafficllm.model.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.trafficllm.api.model.BaseModel;

/**
 * The extender against a real Felix framework: base-model bundles made here from the
 * fixture files are installed, started and stopped; the extender is handed the
 * framework's context and its engine by hand, without Declarative Services.
 */
class BaseModelExtenderTest {
    @TempDir
    Path tmp;
    Framework framework;
    EngineExecutor engine;
    BaseModelExtender extender;

    @BeforeEach
    void start() throws Exception {
        framework = new FrameworkFactory().newFramework(Map.of(Constants.FRAMEWORK_STORAGE, tmp.resolve("cache")
                .toString(), Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        engine = new EngineExecutor(1);
        extender = new BaseModelExtender();
        extender.engine = engine;
        extender.activate(framework.getBundleContext());
    }

    @AfterEach
    void stop() throws Exception {
        extender.deactivate();
        engine.close();
        framework.stop();
        framework.waitForStop(10_000);
    }

    private Path bundle(String name, String capability, Map<String, Path> files) throws Exception {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, name);
        a.putValue(Constants.BUNDLE_VERSION, "2.0.0");
        a.putValue(BaseModel.BUNDLE_HEADER, "model");
        a.putValue(Constants.PROVIDE_CAPABILITY, capability);
        Path jar = tmp.resolve(name + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            for (Map.Entry<String, Path> f : files.entrySet()) {
                j.putNextEntry(new JarEntry("model/" + f.getKey()));
                Files.copy(f.getValue(), j);
                j.closeEntry();
            }
        }
        return jar;
    }

    private static Map<String, Path> files(String fixture) {
        return Map.of("config.json", Fixtures.dir(fixture).resolve("config.json"), "model.safetensors",
                Fixtures.dir(fixture).resolve("model.safetensors"), "tokenizer.json", Fixtures.tokenizer());
    }

    @Test
    void startedBundleGetsAServiceAndLosesItWhenStopped() throws Exception {
        BundleContext context = framework.getBundleContext();
        Path jar = bundle("test.basemodel.qwen", "trafficllm.basemodel;trafficllm.basemodel=qwen-tiny;"
                + "version:Version=1.2.0;arch=qwen2", files("qwen2-tiny"));
        ServiceTracker<BaseModel, BaseModel> models = new ServiceTracker<>(context, BaseModel.class, null);
        models.open();
        Bundle b = context.installBundle(jar.toUri().toString());
        b.start();
        BaseModel model = models.waitForService(TimeUnit.SECONDS.toMillis(60));
        assertThat(model).isNotNull();
        ServiceReference<BaseModel> ref = models.getServiceReference();
        assertThat(ref.getProperty(BaseModel.NAME)).isEqualTo("qwen-tiny");
        assertThat(ref.getProperty(BaseModel.VERSION)).isEqualTo("1.2.0");
        assertThat(ref.getProperty(BaseModel.ARCH)).isEqualTo("qwen2");
        Fixtures.Case c = Fixtures.golden("qwen2-tiny").get(0);
        assertThat(Fixtures.maxDiff(model.logits(null, c.inputIds()), c.logits())).isLessThan(1e-4);
        b.stop();
        assertThat(models.getService()).isNull();
        assertThatThrownBy(() -> model.logits(null, c.inputIds())).hasMessageContaining("has been unloaded");
        models.close();
    }

    @Test
    void bundleWithBrokenWeightsGetsNoServiceAndOthersStillLoad() throws Exception {
        BundleContext context = framework.getBundleContext();
        Map<String, Path> broken = Map.of("config.json", Fixtures.dir("llama-tiny").resolve("config.json"),
                "model.safetensors", Fixtures.dir("qwen2-tiny").resolve("model.safetensors"), "tokenizer.json",
                Fixtures.tokenizer());
        context.installBundle(bundle("test.basemodel.broken", "trafficllm.basemodel;trafficllm.basemodel=broken;"
                + "version:Version=1.0.0;arch=llama", broken).toUri().toString()).start();
        context.installBundle(bundle("test.basemodel.gpt2", "trafficllm.basemodel;trafficllm.basemodel=gpt2-tiny;"
                + "version:Version=1.0.0;arch=gpt2", files("gpt2-tiny")).toUri().toString()).start();
        ServiceTracker<BaseModel, BaseModel> models = new ServiceTracker<>(context, BaseModel.class, null);
        models.open();
        assertThat(models.waitForService(TimeUnit.SECONDS.toMillis(60))).isNotNull();
        // one loader thread, in start order: the broken model had failed before gpt2-tiny was loaded
        assertThat(models.getServiceReferences()).hasSize(1);
        assertThat(models.getServiceReference().getProperty(BaseModel.NAME)).isEqualTo("gpt2-tiny");
        models.close();
    }
}

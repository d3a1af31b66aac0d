package org.trafficllm.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.trafficllm.api.model.BaseModel;
import org.trafficllm.api.task.TaskException;
import org.trafficllm.api.task.TaskLifecycle;
import org.trafficllm.api.task.TaskPackager;
import org.trafficllm.api.task.TaskRegistry;
import org.trafficllm.api.task.TaskState;
import org.trafficllm.api.task.dto.PackageRequestDTO;
import org.trafficllm.api.task.dto.TaskDTO;

/**
 * Signatures required through ConfigAdmin (PID {@code org.trafficllm.eapeft}): an
 * unsigned update and a bundle signed by an untrusted key are refused while the
 * version already serving keeps answering; a bundle signed by the trusted key is
 * accepted. The keys are made with the JDK's keytool, the signatures by the
 * runtime's packager.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class TaskSignatureTest {
    @InjectService(timeout = 120_000)
    BaseModel model;

    @InjectService(timeout = 30_000)
    TaskRegistry registry;

    @InjectService(timeout = 30_000)
    TaskLifecycle lifecycle;

    @InjectService(timeout = 30_000)
    TaskPackager packager;

    @InjectService(timeout = 30_000)
    ConfigurationAdmin configurations;

    @InjectBundleContext
    BundleContext context;

    @TempDir
    Path dir;

    private Path signed(String version, String fixture, Path keystore) throws Exception {
        PackageRequestDTO r = TaskFixtures.request(dir, "SIGN", "detection", version, fixture, "llama-tiny");
        r.keystore = keystore.toString();
        r.storePassword = "changeit";
        return Path.of(packager.pack(r).jar);
    }

    private String answeringVersion() throws TaskException {
        return registry.classify("SIGN", null, List.of("udp.dstport: 53")).get(0).version;
    }

    @Test
    void requiredSignaturesRefuseUnsignedAndUntrustedBundles() throws Exception {
        Path vendor = dir.resolve("vendor.p12");
        Path stranger = dir.resolve("stranger.p12");
        Path trust = dir.resolve("trusted.p12");
        Path cert = dir.resolve("vendor.cer");
        TaskFixtures.keytool("-genkeypair", "-keystore", vendor.toString(), "-storetype", "PKCS12", "-storepass",
                "changeit", "-alias", "vendor", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Example Vendor,O=Example", "-validity", "30");
        TaskFixtures.keytool("-genkeypair", "-keystore", stranger.toString(), "-storetype", "PKCS12", "-storepass",
                "changeit", "-alias", "stranger", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Stranger",
                "-validity", "30");
        TaskFixtures.keytool("-exportcert", "-keystore", vendor.toString(), "-storepass", "changeit", "-alias", "vendor",
                "-file", cert.toString());
        TaskFixtures.keytool("-importcert", "-noprompt", "-keystore", trust.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-alias", "vendor", "-file", cert.toString());

        Path unsignedV1 = TaskFixtures.pack(packager, dir, "SIGN", "detection", "1.0.0", "llama-tiny-lora", "llama-tiny");
        lifecycle.register(unsignedV1.toString());
        Configuration config = configurations.getConfiguration("org.trafficllm.eapeft", "?");
        try {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("requireSignatures", true);
            props.put("trustedKeystore", trust.toString());
            props.put(".trustedKeystorePassword", "changeit");
            config.update(props);
            Path unsignedV2 = TaskFixtures.pack(packager, dir, "SIGN", "detection", "2.0.0", "llama-tiny-prefix",
                    "llama-tiny");
            // DS copies the configuration into the registry's service properties after the extender took it.
            assertThat(TaskFixtures.eventually(10, () -> Boolean.TRUE.equals(
                    context.getServiceReference(TaskRegistry.class).getProperty("requireSignatures"))))
                    .as("the configuration reaches the extender").isTrue();
            assertThatThrownBy(() -> lifecycle.update("SIGN", unsignedV2.toString())).hasMessage(
                    "org.trafficllm.task.sign 2.0.0: unsigned (README.md), and this runtime requires task bundles signed "
                            + "by a key trusted in " + trust + "; SIGN 1.0.0 keeps serving");
            assertThat(answeringVersion()).isEqualTo("1.0.0");
            assertThat(registry.task("SIGN").orElseThrow().refusal)
                    .startsWith("org.trafficllm.task.sign 2.0.0: unsigned");

            Path foreign = signed("2.0.0", "llama-tiny-prefix", stranger);
            assertThatThrownBy(() -> lifecycle.update("SIGN", foreign.toString())).hasMessage(
                    "org.trafficllm.task.sign 2.0.0: signed by CN=Stranger, which is not trusted by " + trust
                            + "; SIGN 1.0.0 keeps serving");
            assertThat(answeringVersion()).isEqualTo("1.0.0");

            TaskDTO d = lifecycle.update("SIGN", signed("2.0.0", "llama-tiny-prefix", vendor).toString());
            assertThat(d.state).isEqualTo(TaskState.SERVING);
            assertThat(d.version).isEqualTo("2.0.0");
            assertThat(d.signer).isEqualTo("CN=Example Vendor,O=Example");
            assertThat(answeringVersion()).isEqualTo("2.0.0");
        } finally {
            config.delete();
            lifecycle.unregister("SIGN");
        }
    }
}

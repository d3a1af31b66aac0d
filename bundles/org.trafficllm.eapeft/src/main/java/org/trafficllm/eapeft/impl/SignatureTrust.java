package org.trafficllm.eapeft.impl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import org.trafficllm.api.task.TaskException;

/**
 * Which signers a runtime trusts, from its configuration: when signatures are
 * required, every file of a task bundle must be signed by one signer whose
 * certificate chain contains a certificate of the trusted keystore (a trusted
 * certificate entry or a key entry's certificate), valid now.
 */
final class SignatureTrust {
    private final boolean required;
    private final String keystore;
    private final List<X509Certificate> trusted;
    private final String unusable;

    private SignatureTrust(boolean required, String keystore, List<X509Certificate> trusted, String unusable) {
        this.required = required;
        this.keystore = keystore;
        this.trusted = trusted;
        this.unusable = unusable;
    }

    /** Accepts unsigned bundles; still refuses signed bundles changed after signing. */
    static SignatureTrust none() {
        return new SignatureTrust(false, null, List.of(), null);
    }

    /**
     * The trust a configuration asks for. A keystore that cannot be read does not
     * fail here: while signatures are required it makes every task bundle refused,
     * with the reason.
     */
    static SignatureTrust of(boolean required, String keystore, String type, char[] password) {
        if (!required) {
            return none();
        }
        if (keystore == null || keystore.isBlank()) {
            return new SignatureTrust(true, null, List.of(),
                    "signatures are required but no trusted keystore is configured");
        }
        try (InputStream in = Files.newInputStream(Path.of(keystore))) {
            KeyStore store = KeyStore.getInstance(type == null || type.isBlank() ? "PKCS12" : type);
            store.load(in, password);
            List<X509Certificate> certificates = new ArrayList<>();
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements();) {
                Certificate c = store.getCertificate(aliases.nextElement());
                if (c instanceof X509Certificate x) {
                    certificates.add(x);
                }
            }
            if (certificates.isEmpty()) {
                return new SignatureTrust(true, keystore, List.of(), "trusted keystore " + keystore + " holds no certificate");
            }
            return new SignatureTrust(true, keystore, List.copyOf(certificates), null);
        } catch (IOException | GeneralSecurityException e) {
            return new SignatureTrust(true, keystore, List.of(), "cannot read trusted keystore " + keystore + ": "
                    + e.getMessage());
        }
    }

    /**
     * Checks the signers of every data file against this trust.
     *
     * @param signers file name to its code signers (null or empty when unsigned)
     * @return the distinguished name of the signer common to all files, or null when unsigned
     */
    String check(String origin, Map<String, CodeSigner[]> signers) throws TaskException {
        List<CodeSigner> common = null;
        String unsigned = null;
        for (Map.Entry<String, CodeSigner[]> e : signers.entrySet()) {
            CodeSigner[] s = e.getValue();
            if (s == null || s.length == 0) {
                unsigned = e.getKey();
                common = List.of();
                break;
            }
            List<CodeSigner> these = List.of(s);
            if (common == null) {
                common = new ArrayList<>(these);
            } else {
                common.retainAll(these);
            }
        }
        if (common == null) {
            common = List.of();
        }
        if (unsigned == null && common.isEmpty() && !signers.isEmpty()) {
            unsigned = "(no signer covers every file)";
        }
        if (required) {
            if (unusable != null) {
                throw new TaskException(origin + ": refused: " + unusable);
            }
            if (unsigned != null) {
                throw new TaskException(origin + ": unsigned (" + unsigned + "), and this runtime requires task bundles "
                        + "signed by a key trusted in " + keystore);
            }
            X509Certificate trustedSigner = null;
            for (CodeSigner signer : common) {
                if (isTrusted(signer)) {
                    trustedSigner = (X509Certificate) signer.getSignerCertPath().getCertificates().get(0);
                    break;
                }
            }
            if (trustedSigner == null) {
                throw new TaskException(origin + ": signed by " + name(common.get(0)) + ", which is not trusted by "
                        + keystore);
            }
            try {
                trustedSigner.checkValidity();
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                throw new TaskException(origin + ": signer certificate of " + trustedSigner.getSubjectX500Principal()
                        .getName() + " is not valid now: " + e.getMessage(), e);
            }
            return trustedSigner.getSubjectX500Principal().getName();
        }
        return unsigned != null || common.isEmpty() ? null : name(common.get(0));
    }

    private boolean isTrusted(CodeSigner signer) {
        for (Certificate c : signer.getSignerCertPath().getCertificates()) {
            if (trusted.contains(c)) {
                return true;
            }
        }
        return false;
    }

    private static String name(CodeSigner signer) {
        List<? extends Certificate> chain = signer.getSignerCertPath().getCertificates();
        return chain.isEmpty() || !(chain.get(0) instanceof X509Certificate x) ? "an unknown signer"
                : x.getSubjectX500Principal().getName();
    }

    @Override
    public String toString() {
        return required ? "signatures required, trusted keystore " + keystore : "signatures not required";
    }
}

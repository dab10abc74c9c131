package dev.readiness.sessions;

import dev.readiness.core.config.ReadinessConfigException;

import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;

/**
 * The trust for {@code rediss://} connections: a PEM file of certificates ({@code readiness.sessions.redis.tls.ca-file})
 * or a PKCS12/JKS trust store ({@code readiness.sessions.redis.tls.truststore}), read once when the settings are
 * built, so a file that cannot be read fails the start, not the first request.
 */
final class TrustMaterial {

    private TrustMaterial() {
    }

    /** @throws ReadinessConfigException naming the key and file when it cannot be read or holds no certificate */
    static Optional<TrustManagerFactory> read(Optional<Path> tlsCaFile, Optional<Path> tlsTrustStore,
                                              char[] tlsTrustStorePassword) {
        if (tlsCaFile.isPresent()) {
            return Optional.of(trustManagers(caFileStore(tlsCaFile.get())));
        }
        if (tlsTrustStore.isPresent()) {
            return Optional.of(trustManagers(trustStore(tlsTrustStore.get(), tlsTrustStorePassword)));
        }
        return Optional.empty();
    }

    private static KeyStore caFileStore(Path file) {
        String key = SessionSettings.TLS_CA_FILE.name();
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            ReadinessConfigException.require(!certs.isEmpty(), key, file, "must hold a PEM certificate (it holds none)");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return ks;
        } catch (IOException e) {
            throw new ReadinessConfigException(key, file, "must be a readable file: " + e, e);
        } catch (GeneralSecurityException e) {
            throw new ReadinessConfigException(key, file, "must be a PEM file of X.509 certificates: " + e.getMessage(), e);
        }
    }

    private static KeyStore trustStore(Path file, char[] password) {
        String key = SessionSettings.TLS_TRUSTSTORE.name();
        KeyStore ks;
        try {
            ks = KeyStore.getInstance(file.toFile(), password);
        } catch (IOException e) {
            // A wrong password surfaces as an IOException whose cause is an UnrecoverableKeyException.
            boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException;
            throw new ReadinessConfigException(key, file, badPassword
                    ? "must open with readiness.sessions.redis.tls.truststore-password (wrong password?)"
                    : "must be a PKCS12 or JKS trust store: " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ReadinessConfigException(key, file, "must be a PKCS12 or JKS trust store: " + e.getMessage(), e);
        }
        try {
            boolean any = false;
            for (var aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                any |= ks.isCertificateEntry(aliases.nextElement());
            }
            ReadinessConfigException.require(any, key, file, "must hold a trusted certificate entry (it holds none)");
        } catch (java.security.KeyStoreException e) {
            throw new ReadinessConfigException(key, file, "must be a readable trust store: " + e.getMessage(), e);
        }
        return ks;
    }

    private static TrustManagerFactory trustManagers(KeyStore ks) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's default trust manager cannot use a key store: " + e, e);
        }
    }
}

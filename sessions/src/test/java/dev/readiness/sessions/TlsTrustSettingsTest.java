package dev.readiness.sessions;

import dev.readiness.core.config.ReadinessConfigException;
import dev.readiness.testkit.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.readiness.sessions.SessionsConfigTest.settings;
import static dev.readiness.sessions.SessionsConfigTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** readiness.sessions.redis.tls.*: good files are read at start, broken, missing and hostile ones fail it clearly. */
class TlsTrustSettingsTest {

    static SelfSignedCertificate cert;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws Exception {
        cert = SelfSignedCertificate.generate("settings-test", "ip:127.0.0.1");
    }

    @AfterAll
    static void delete() {
        cert.close();
    }

    private static Map<String, String> tls(String... kv) {
        Map<String, String> m = with(kv);
        m.putIfAbsent("readiness.sessions.redis.uri", "rediss://redis:6380");
        if (m.get("readiness.sessions.redis.uri").equals("redis://redis:6379")) {
            m.put("readiness.sessions.redis.uri", "rediss://redis:6380");
        }
        return m;
    }

    @Test
    void withoutTrustSettingsTheJvmDefaultTrustStoreApplies() {
        assertThat(settings(tls()).tlsTrustManagers()).isEmpty();
    }

    @Test
    void aPemCaFileAndAPkcs12TrustStoreAreReadAtStart() {
        SessionSettings pem = settings(tls("readiness.sessions.redis.tls.ca-file", cert.certificatePem().toString()));
        assertThat(pem.tlsCaFile()).contains(cert.certificatePem());
        assertThat(pem.tlsTrustManagers()).isPresent();
        SessionSettings p12 = settings(tls("readiness.sessions.redis.tls.truststore", cert.trustStore().toString(),
                "readiness.sessions.redis.tls.truststore-password", cert.password()));
        assertThat(p12.tlsTrustStore()).contains(cert.trustStore());
        assertThat(p12.tlsTrustManagers()).isPresent();
    }

    @Test
    void missingBrokenAndHostileTrustFilesFailTheStartNamingTheKey() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.pem"), new byte[] {0, 1, 2, (byte) 0xff, 'x'});
        Path empty = Files.createFile(dir.resolve("empty.pem"));
        Path truncated = dir.resolve("truncated.pem");
        String pem = Files.readString(cert.certificatePem());
        Files.writeString(truncated, pem.substring(0, pem.length() / 2));
        Path keyOnly = cert.privateKeyPem(); // a private key where certificates belong
        Map<String, String> ca = Map.of(
                dir.resolve("absent.pem").toString(), "must be a readable file",
                garbage.toString(), "readiness.sessions.redis.tls.ca-file=" + garbage,
                empty.toString(), "must hold a PEM certificate (it holds none)",
                truncated.toString(), "must be a PEM file of X.509 certificates",
                keyOnly.toString(), "readiness.sessions.redis.tls.ca-file=" + keyOnly);
        ca.forEach((file, message) -> assertThatThrownBy(() -> settings(tls("readiness.sessions.redis.tls.ca-file", file)))
                .as(file).isInstanceOf(ReadinessConfigException.class).hasMessageContaining(message));

        assertThatThrownBy(() -> settings(tls("readiness.sessions.redis.tls.truststore", garbage.toString())))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.sessions.redis.tls.truststore=" + garbage);
        assertThatThrownBy(() -> settings(tls("readiness.sessions.redis.tls.truststore",
                dir.resolve("absent.p12").toString())))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("readiness.sessions.redis.tls.truststore");
        // a key store without a trusted certificate entry trusts nothing
        assertThatThrownBy(() -> settings(tls("readiness.sessions.redis.tls.truststore", cert.keyStore().toString(),
                "readiness.sessions.redis.tls.truststore-password", cert.password())))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("must hold a trusted certificate entry");
    }

    @Test
    void aWrongTrustStorePasswordIsNamedButNotEchoed() {
        assertThatThrownBy(() -> settings(tls("readiness.sessions.redis.tls.truststore", cert.trustStore().toString(),
                "readiness.sessions.redis.tls.truststore-password", "not-the-pw-42")))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("readiness.sessions.redis.tls.truststore-password")
                .hasMessageNotContaining("not-the-pw-42");
    }

    @Test
    void conflictingOrPointlessTrustSettingsFailTheStart() {
        assertThatThrownBy(() -> settings(tls("readiness.sessions.redis.tls.ca-file", cert.certificatePem().toString(),
                "readiness.sessions.redis.tls.truststore", cert.trustStore().toString())))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("set one of them");
        assertThatThrownBy(() -> settings(tls("readiness.sessions.redis.tls.truststore-password", "x")))
                .isInstanceOf(ReadinessConfigException.class)
                .hasMessageContaining("must not be set without readiness.sessions.redis.tls.truststore")
                .hasMessageNotContaining("=x ");
        assertThatThrownBy(() -> settings(with("readiness.sessions.redis.tls.ca-file", cert.certificatePem().toString())))
                .isInstanceOf(ReadinessConfigException.class).hasMessageContaining("must go with a rediss:// readiness.sessions.redis.uri");
    }
}

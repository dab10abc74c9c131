package dev.readiness.sessions.redis;

import dev.readiness.sessions.SessionIds;
import dev.readiness.sessions.SessionSettings;
import dev.readiness.sessions.SessionStoreUnavailableException;
import dev.readiness.sessions.SessionWrite;
import dev.readiness.testkit.RedisServer;
import dev.readiness.testkit.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * {@code rediss://} against a real redis-server serving TLS with a certificate made by keytool at test time:
 * trusted through a PEM CA file and through a PKCS12 trust store; untrusted, for another host, or not TLS at
 * all, each a clear error within the command timeout and never a plaintext connection.
 */
class TlsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    static SelfSignedCertificate cert;
    static SelfSignedCertificate other;
    static RedisServer redis;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        cert = SelfSignedCertificate.generate("readiness-test-redis", "ip:127.0.0.1");
        other = SelfSignedCertificate.generate("someone-else", "ip:127.0.0.1");
        try {
            redis = RedisServer.startTls(cert, "--requirepass", "tls-pw");
        } catch (UnsupportedOperationException e) {
            abort("skipped: " + e.getMessage());
        }
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (cert != null) {
            cert.close();
        }
        if (other != null) {
            other.close();
        }
    }

    private static String tlsUri() {
        return "rediss://:tls-pw@127.0.0.1:" + redis.tlsPort();
    }

    private static void savesAndLoads(SessionSettings settings) throws Exception {
        try (RedisSessionStore store = RedisSessionStore.create(settings)) {
            String id = new SessionIds().next();
            store.save(new SessionWrite(id, null, 0, Duration.ofMinutes(1), Map.of("user", "ada"), Set.of()));
            assertThat(store.load(id).orElseThrow().attributes()).containsEntry("user", "ada");
            assertThat(store.readinessCheck().check(TIMEOUT).isUp()).isTrue();
            // the session went through the TLS port into the server whose plain port the test also reaches
            try (RedisSessionStore plain = RedisSessionStore.create(SessionSettings.builder()
                    .redisUri("redis://:tls-pw@127.0.0.1:" + redis.port()).build())) {
                assertThat(plain.load(id).orElseThrow().attributes()).containsEntry("user", "ada");
            }
        }
    }

    @Test
    void aServerCertificateTrustedThroughAPemCaFileCarriesSessions() throws Exception {
        savesAndLoads(SessionSettings.builder().redisUri(tlsUri()).tlsCaFile(cert.certificatePem()).build());
    }

    @Test
    void aServerCertificateTrustedThroughAPkcs12TrustStoreCarriesSessions() throws Exception {
        savesAndLoads(SessionSettings.builder().redisUri(tlsUri())
                .tlsTrustStore(cert.trustStore(), cert.password()).build());
    }

    @Test
    void aCertificateTheJvmDoesNotTrustFailsClearlyWithinTheTimeout() throws Exception {
        // No trust configured: the JVM's default trust store, which does not hold a self-signed certificate.
        failsTheHandshake(SessionSettings.builder().redisUri(tlsUri()).commandTimeout(TIMEOUT).build(),
                "certification path");
    }

    @Test
    void aTrustStoreForAnotherCertificateDoesNotTrustTheServer() throws Exception {
        failsTheHandshake(SessionSettings.builder().redisUri(tlsUri()).commandTimeout(TIMEOUT)
                .tlsCaFile(other.certificatePem()).build(), "certification path");
    }

    @Test
    void peerVerificationChecksTheHostNameByDefault() throws Exception {
        try (SelfSignedCertificate elsewhere = SelfSignedCertificate.generate("redis.example", "dns:redis.example");
             RedisServer wrongName = RedisServer.startTls(elsewhere)) {
            // Trusted, but issued for redis.example while the URI names 127.0.0.1.
            failsTheHandshake(SessionSettings.builder().redisUri("rediss://127.0.0.1:" + wrongName.tlsPort())
                    .commandTimeout(TIMEOUT).tlsCaFile(elsewhere.certificatePem()).build(), "127.0.0.1");
        }
    }

    @Test
    void redissAgainstAPlaintextPortFailsInsteadOfFallingBackToPlaintext() throws Exception {
        failsTheHandshake(SessionSettings.builder().redisUri("rediss://:tls-pw@127.0.0.1:" + redis.port())
                .commandTimeout(TIMEOUT).tlsCaFile(cert.certificatePem()).build(), "TLS handshake failed");
    }

    private static void failsTheHandshake(SessionSettings settings, String detail) throws Exception {
        try (RedisSessionStore store = RedisSessionStore.create(settings)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> store.load(new SessionIds().next()))
                    .isInstanceOf(SessionStoreUnavailableException.class)
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining(detail)
                    .hasMessageNotContaining("tls-pw");
            // bounded by the command timeout (generous margin for a busy machine), never Lettuce's 10 s default
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.plusSeconds(6));
            var check = store.readinessCheck().check(TIMEOUT);
            assertThat(check.isUp()).isFalse();
            assertThat(check.message()).contains("TLS handshake failed");
        }
    }
}

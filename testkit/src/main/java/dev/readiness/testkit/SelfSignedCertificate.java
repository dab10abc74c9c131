package dev.readiness.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed server certificate made at test time by the JDK's own {@code keytool} (a process started from
 * {@code java.home/bin}), for TLS tests against real servers. Nothing is checked in and nothing expires in the
 * repository. The files, in a temporary directory deleted by {@link #close()}:
 * <ul>
 *   <li>{@link #keyStore()}: PKCS12 with the key pair and certificate (alias {@code server});</li>
 *   <li>{@link #certificatePem()} and {@link #privateKeyPem()}: the same as PEM (PKCS#8 key), for servers such as
 *       redis-server that read PEM files;</li>
 *   <li>{@link #trustStore()}: PKCS12 holding only the certificate, for a client that should trust it.</li>
 * </ul>
 * All stores use {@link #password()}. The key is EC P-256, valid for two days.
 */
public final class SelfSignedCertificate implements AutoCloseable {

    private static final String ALIAS = "server";

    private final Path dir;
    private final String password;

    private SelfSignedCertificate(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /**
     * Generates a certificate for {@code commonName} with the subject alternative names {@code sans} in keytool's
     * syntax ({@code ip:127.0.0.1}, {@code dns:localhost}); clients that verify host names check those.
     *
     * @throws IOException when keytool fails or is missing (its output is in the message)
     */
    public static SelfSignedCertificate generate(String commonName, String... sans) throws IOException {
        Path dir = Files.createTempDirectory("readiness-tls-");
        SelfSignedCertificate c = new SelfSignedCertificate(dir, "changeit-" + Long.toHexString(System.nanoTime()));
        try {
            List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
                    "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=" + commonName,
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", c.keyStore().toString(),
                    "-storepass", c.password, "-keypass", c.password));
            if (sans.length > 0) {
                gen.addAll(List.of("-ext", "SAN=" + String.join(",", sans)));
            }
            keytool(gen);
            keytool(List.of("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", c.keyStore().toString(),
                    "-storepass", c.password, "-file", c.certificatePem().toString()));
            keytool(List.of("-importcert", "-noprompt", "-alias", ALIAS, "-file", c.certificatePem().toString(),
                    "-storetype", "PKCS12", "-keystore", c.trustStore().toString(), "-storepass", c.password));
            c.writePrivateKeyPem();
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** PKCS12 key store with the key pair under alias {@code server}. */
    public Path keyStore() {
        return dir.resolve("server.p12");
    }

    /** PKCS12 trust store holding only the certificate. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    /** The certificate, PEM. */
    public Path certificatePem() {
        return dir.resolve("cert.pem");
    }

    /** The private key, unencrypted PKCS#8 PEM. */
    public Path privateKeyPem() {
        return dir.resolve("key.pem");
    }

    /** The password of both stores. */
    public String password() {
        return password;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        TempDirs.deleteQuietly(dir);
    }

    private void writePrivateKeyPem() throws IOException {
        try (InputStream in = Files.newInputStream(keyStore())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            Key key = ks.getKey(ALIAS, password.toCharArray());
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.getEncoded());
            Files.writeString(privateKeyPem(), "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key keytool generated in " + keyStore() + ": " + e, e);
        }
    }

    private static void keytool(List<String> args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>();
        cmd.add(keytool.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish within 60s: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IOException("keytool " + args.get(0) + " exited with " + p.exitValue() + ": "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}

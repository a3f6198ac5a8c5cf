package dev.latch.auth.config;

import dev.latch.common.config.PublicBaseUrl;
import dev.latch.common.readiness.IntrospectionClientCheck;
import dev.latch.common.readiness.ProductionReadinessCheck;
import dev.latch.common.readiness.ProductionReadinessCheck.Finding;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** auth-service's production-readiness checks: signing keys, OAuth2 client secrets, public URL. */
@ApplicationScoped
public class ProductionChecks {

    private static final List<String> DEV_SECRETS = IntrospectionClientCheck.DEV_SECRETS;

    @Produces
    ProductionReadinessCheck signingKeys(AuthConfig config) {
        return () -> {
            if (config.keys().directory().isPresent()) {
                return List.of();
            }
            if (config.keys().encryptionKey().isEmpty()) {
                return List.of(Finding.severe(
                        "signing-keys",
                        "No signing keys: mount a key directory "
                                + "(LATCH_AUTH_KEYS_DIRECTORY) or set LATCH_AUTH_KEYS_ENCRYPTION_KEY (base64 of 32 random bytes) "
                                + "so generated keys can be stored encrypted."));
            }
            return List.of(Finding.warning(
                    "generated-signing-key",
                    "Signing keys are generated and stored in the "
                            + "database; mount them from a Secret (LATCH_AUTH_KEYS_DIRECTORY) to control rotation."));
        };
    }

    @Produces
    ProductionReadinessCheck clientSecrets(AuthConfig config) {
        return () -> {
            List<Finding> findings = new ArrayList<>();
            for (Map.Entry<String, AuthConfig.Client> e : config.clients().entrySet()) {
                String id = e.getKey();
                AuthConfig.Client c = e.getValue();
                String variable = "LATCH_AUTH_CLIENTS_" + id.toUpperCase().replaceAll("[^A-Z0-9]", "_");
                if (c.secret().isPresent()) {
                    findings.add(
                            DEV_SECRETS.contains(c.secret().get())
                                    ? Finding.severe(
                                            "dev-client-secret",
                                            "OAuth2 client " + id + " uses a documented development " + "secret: set "
                                                    + variable
                                                    + "_SECRET_HASH to the sha256: hash of a generated secret.")
                                    : Finding.warning(
                                            "inline-client-secret",
                                            "OAuth2 client " + id + " has an inline secret " + "(" + variable
                                                    + "_SECRET): store only its hash in " + variable
                                                    + "_SECRET_HASH."));
                }
                if (c.secretHash().map(ProductionChecks::isDevSecretHash).orElse(false)) {
                    findings.add(Finding.severe(
                            "dev-client-secret",
                            "OAuth2 client " + id + " has the hash of a documented " + "development secret in "
                                    + variable + "_SECRET_HASH: generate a new secret."));
                }
            }
            return findings;
        };
    }

    @Produces
    ProductionReadinessCheck publicUrl(PublicBaseUrl publicBaseUrl) {
        return () -> {
            URI uri = publicBaseUrl.uri();
            boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
            return "https".equals(uri.getScheme()) || loopback
                    ? List.<Finding>of()
                    : List.of(Finding.warning(
                            "insecure-public-url",
                            "latch.public-base-url (LATCH_PUBLIC_BASE_URL) is " + publicBaseUrl
                                    + ": browsers send the Secure latch_refresh cookie only over https."));
        };
    }

    private static boolean isDevSecretHash(String hash) {
        if (!hash.startsWith("sha256:")) {
            return false;
        }
        String hex = hash.substring("sha256:".length()).trim().toLowerCase();
        return DEV_SECRETS.stream()
                .anyMatch(s -> HexFormat.of().formatHex(SecureTokens.sha256(s)).equals(hex));
    }
}

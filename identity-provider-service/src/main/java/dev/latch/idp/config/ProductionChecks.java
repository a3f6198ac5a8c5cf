package dev.latch.idp.config;

import dev.latch.common.readiness.IntrospectionClientCheck;
import dev.latch.common.readiness.ProductionReadinessCheck;
import dev.latch.common.readiness.ProductionReadinessCheck.Finding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The broker's production-readiness checks: its secrets, and the provider-URL safety switches. */
@ApplicationScoped
public class ProductionChecks {

    @Produces
    ProductionReadinessCheck brokerSecrets(
            IdpConfig config,
            @ConfigProperty(name = "quarkus.oidc-client.credentials.client-secret.value")
                    Optional<String> clientSecret) {
        return () -> {
            List<Finding> findings = new ArrayList<>();
            if (clientSecret.filter(s -> !s.isBlank()).isEmpty()) {
                findings.add(Finding.severe(
                        "client-secret",
                        "Set LATCH_IDP_CLIENT_SECRET: the broker's secret as the "
                                + "client latch-idp of auth-service (scope sessions:issue)."));
            }
            if (config.secrets().encryptionKey().filter(k -> !k.isBlank()).isEmpty()) {
                findings.add(Finding.severe(
                        "provider-secrets-key",
                        "Set LATCH_IDP_SECRETS_ENCRYPTION_KEY (base64 of 32 "
                                + "random bytes): it encrypts the providers' client secrets at rest."));
            }
            if (clientSecret
                    .filter(IntrospectionClientCheck.DEV_SECRETS::contains)
                    .isPresent()) {
                findings.add(Finding.severe(
                        "dev-client-secret",
                        "LATCH_IDP_CLIENT_SECRET is a documented development "
                                + "secret: generate one for the client latch-idp of auth-service."));
            }
            return findings;
        };
    }

    @Produces
    ProductionReadinessCheck providerUrlSafety(IdpConfig config) {
        return () -> {
            List<Finding> findings = new ArrayList<>();
            if (config.allowPrivateProviderHosts()) {
                findings.add(Finding.severe(
                        "private-provider-hosts",
                        "latch.idp.allow-private-provider-hosts is true: "
                                + "provider URLs may reach loopback, link-local and cluster addresses (SSRF). Unset "
                                + "LATCH_IDP_ALLOW_PRIVATE_PROVIDER_HOSTS, or list private-provider-hosts in "
                                + "LATCH_PRODUCTION_READINESS_IGNORE_SEVERE for an in-cluster provider."));
            }
            if (config.allowInsecureProviderUrls()) {
                findings.add(
                        Finding.severe(
                                "insecure-provider-urls",
                                "latch.idp.allow-insecure-provider-urls is true: "
                                        + "codes and tokens would travel over http://. Unset LATCH_IDP_ALLOW_INSECURE_PROVIDER_URLS."));
            }
            return findings;
        };
    }
}

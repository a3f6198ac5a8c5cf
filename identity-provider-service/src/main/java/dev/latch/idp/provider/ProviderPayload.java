package dev.latch.idp.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The admin API body: the contract's provider object. {@code clientSecret} is write-only;
 * {@code clientSecretSet} and {@code firstLoginAt} are read-only.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderPayload(
        String id,
        String kind,
        String title,
        String clientId,
        String clientSecret,
        String issuer,
        String tenant,
        String baseUrl,
        String authorizationUrl,
        String tokenUrl,
        String userInfoUrl,
        List<String> scopes,
        Boolean pkce,
        Boolean enabled,
        Map<String, String> fieldMapping,
        Boolean trustEmail,
        List<String> allowedEmailDomains,
        Boolean allowSignup,
        Boolean clientSecretSet,
        Instant firstLoginAt) {}

package dev.latch.auth.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A client as the API shows it: never the secret's hash; the secret itself only when it was just generated. */
@RegisterForReflection
public record OAuthClientView(
        String clientId,
        String name,

        @Schema(enumeration = {OAuthClient.CONFIDENTIAL, OAuthClient.PUBLIC})
        String type,

        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        List<String> grantTypes,
        List<String> scopes,
        boolean firstParty,
        boolean requirePar,
        String backchannelLogoutUri,

        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(
                description = "The confidential client's secret: only in the answers of create and secret rotation, "
                        + "never again")
        String clientSecret,

        Instant createdAt,
        Instant updatedAt) {

    public static OAuthClientView of(OAuthClient c) {
        return of(c, null);
    }

    public static OAuthClientView of(OAuthClient c, String secret) {
        return new OAuthClientView(
                c.clientId,
                c.name,
                c.type,
                List.of(c.redirectUris),
                List.of(c.postLogoutRedirectUris),
                List.of(c.grantTypes),
                List.of(c.scopes),
                c.firstParty,
                c.requirePar,
                c.backchannelLogoutUri,
                secret,
                c.createdAt,
                c.updatedAt);
    }
}

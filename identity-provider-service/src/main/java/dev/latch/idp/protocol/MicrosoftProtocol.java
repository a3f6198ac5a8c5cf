package dev.latch.idp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.idp.provider.ProviderService;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

/**
 * Microsoft identity platform: OpenID Connect whose emails are never verified (Microsoft does not
 * assert verification; any tenant admin sets any address). Typed so that looking up
 * {@link OidcProtocol} finds only the plain one.
 */
@Singleton
@Typed({MicrosoftProtocol.class, ProviderProtocol.class})
public class MicrosoftProtocol extends OidcProtocol {

    public MicrosoftProtocol(ProviderHttp http, ProviderService providers, OidcMetadata metadata, ObjectMapper json) {
        super(http, providers, metadata, json);
    }

    @Override
    protected boolean emailVerified(JsonNode claims) {
        return false;
    }
}

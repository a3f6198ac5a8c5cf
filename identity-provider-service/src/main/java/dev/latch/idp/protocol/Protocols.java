package dev.latch.idp.protocol;

import dev.latch.idp.provider.IdentityProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** The protocol a provider's kind names. */
@ApplicationScoped
public class Protocols {

    private final Instance<ProviderProtocol> all;

    public Protocols(Instance<ProviderProtocol> all) {
        this.all = all;
    }

    public ProviderProtocol of(IdentityProvider provider) {
        return all.select(provider.providerKind().protocol()).get();
    }
}

package dev.latch.idp.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SSRF rule itself, with a fixed resolver standing in for DNS. */
class ProviderUrlPolicyTest {

    private static final Map<String, String> DNS = Map.of(
            "idp.example.com", "93.184.216.34",
            "rebound.example.com", "10.0.0.7",
            "metadata.google.internal", "169.254.169.254",
            "v6.example.com", "2606:4700::1111",
            "v6-private.example.com", "fd12:3456::1");

    private static ProviderUrlPolicy policy(boolean allowPrivate, boolean allowInsecure) {
        return new ProviderUrlPolicy(allowPrivate, allowInsecure, List.of("kc.auth.svc.cluster.local"), host -> {
            String ip = DNS.get(host);
            if (ip != null) {
                return new InetAddress[] {InetAddress.getByName(ip)};
            }
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        });
    }

    @Test
    void internalAddressesAndNamesAreRefused() {
        ProviderUrlPolicy p = policy(false, false);
        for (String url : List.of(
                "https://127.0.0.1",
                "https://127.1.2.3",
                "https://localhost",
                "https://api.localhost",
                "https://10.0.0.1",
                "https://172.16.0.1",
                "https://172.31.255.255",
                "https://192.168.0.1",
                "https://169.254.169.254",
                "https://100.64.0.1",
                "https://100.127.255.255",
                "https://0.0.0.0",
                "https://0.1.2.3",
                "https://[::]",
                "https://[::1]",
                "https://[fe80::1]",
                "https://[fc00::1]",
                "https://[fdff::1]",
                "https://[::ffff:127.0.0.1]",
                "https://[::ffff:a9fe:a9fe]",
                "https://keycloak",
                "https://keycloak.",
                "https://auth.latch.svc",
                "https://auth.latch.svc.cluster.local",
                "https://x.cluster.local",
                "https://rebound.example.com",
                "https://metadata.google.internal/computeMetadata/v1",
                "https://v6-private.example.com",
                "https://224.0.0.1",
                "https://255.255.255.255",
                "https://2130706433")) {
            assertTrue(p.refusal(url).isPresent(), url);
        }
    }

    @Test
    void publicAddressesAndExemptedHostsPass() {
        ProviderUrlPolicy p = policy(false, false);
        for (String url : List.of(
                "https://idp.example.com/realms/x",
                "https://93.184.216.34",
                "https://100.128.0.1",
                "https://172.32.0.1",
                "https://v6.example.com",
                "https://[2606:4700::1111]",
                "https://kc.auth.svc.cluster.local",
                "https://KC.auth.svc.cluster.local.",
                "https://unresolvable.example.com")) {
            assertEquals(java.util.Optional.empty(), p.refusal(url), url);
        }
        assertEquals(java.util.Optional.empty(), policy(true, false).refusal("http://127.0.0.1:8080"));
    }

    @Test
    void discoveredUrlsMustBeHttpsUnlessInsecureIsAllowed() {
        assertTrue(policy(false, false)
                .refusalOfDiscovered("http://idp.example.com/token")
                .isPresent());
        assertTrue(policy(true, false)
                .refusalOfDiscovered("http://127.0.0.1/token")
                .isPresent());
        assertTrue(
                policy(false, true).refusalOfDiscovered("javascript:alert(1)").isPresent());
        assertEquals(
                java.util.Optional.empty(), policy(false, false).refusalOfDiscovered("https://idp.example.com/token"));
        assertEquals(
                java.util.Optional.empty(), policy(false, true).refusalOfDiscovered("http://idp.example.com/token"));
        assertTrue(
                policy(false, true).refusalOfDiscovered("http://10.0.0.1/token").isPresent());
    }
}

package dev.latch.idp.provider;

import dev.latch.idp.config.IdpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which URLs the broker may call on a provider's behalf (SSRF defence). Provider URLs come from
 * admins and from providers' discovery documents, and the broker calls them from inside the
 * cluster: a URL naming a cluster service or resolving to a loopback, link-local (cloud metadata),
 * private or CGNAT address is refused unless {@code latch.idp.allow-private-provider-hosts} is set
 * or the host is listed in {@code latch.idp.allowed-private-provider-hosts}. Checked when a URL is
 * stored and again before every call, since DNS answers change.
 */
@ApplicationScoped
public class ProviderUrlPolicy {

    /** Resolves a host name; a seam so the rule can be checked without DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final List<String> CLUSTER_SUFFIXES =
            List.of(".svc", ".svc.cluster.local", ".cluster.local", ".localhost");

    private final boolean allowPrivate;
    private final boolean allowInsecure;
    private final Set<String> allowedHosts;
    private final Resolver resolver;

    @Inject
    public ProviderUrlPolicy(IdpConfig config) {
        this(
                config.allowPrivateProviderHosts(),
                config.allowInsecureProviderUrls(),
                config.allowedPrivateProviderHosts().orElse(List.of()),
                InetAddress::getAllByName);
    }

    public ProviderUrlPolicy(
            boolean allowPrivate, boolean allowInsecure, List<String> allowedHosts, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.allowInsecure = allowInsecure;
        this.allowedHosts = allowedHosts.stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        this.resolver = resolver;
    }

    /** Why the broker must not call this URL, or empty when it may. Unresolvable hosts pass: the call fails anyway. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a URL");
        }
        if (uri.getHost() == null) {
            return Optional.of("has no host");
        }
        return hostRefusal(uri.getHost());
    }

    /** Like {@link #refusal(String)}, and the URL must be https unless insecure provider URLs are allowed. */
    public Optional<String> refusalOfDiscovered(String url) {
        return schemeRefusal(url).or(() -> refusal(url));
    }

    /** Empty when the URL is https (or http where insecure provider URLs are allowed). */
    public Optional<String> schemeRefusal(String url) {
        String scheme;
        try {
            scheme = URI.create(url).getScheme();
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a URL");
        }
        return "https".equals(scheme) || "http".equals(scheme) && allowInsecure
                ? Optional.empty()
                : Optional.of("is not an https:// URL");
    }

    Optional<String> hostRefusal(String rawHost) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (allowedHosts.contains(host)) {
            return Optional.empty();
        }
        boolean literal = isIpLiteral(host);
        if (!literal) {
            if (!host.contains(".") || host.equals("localhost")) {
                return Optional.of("names a host inside the local network (" + host + ")");
            }
            for (String suffix : CLUSTER_SUFFIXES) {
                if (host.endsWith(suffix)) {
                    return Optional.of("names a cluster-internal host (" + host + ")");
                }
            }
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return Optional.of("resolves to a loopback, link-local or private address (" + host + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    /** Loopback, unspecified, link-local, private (RFC 1918, fc00::/7), CGNAT, multicast and broadcast. */
    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true;
            }
            // an IPv4 address written as IPv6 (::a.b.c.d, ::ffff:a.b.c.d) is judged as the IPv4 address
            boolean embedded = true;
            for (int i = 0; i < 10; i++) {
                embedded &= b[i] == 0;
            }
            if (embedded && (b[10] == 0 && b[11] == 0 || b[10] == (byte) 0xff && b[11] == (byte) 0xff)) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network", 0.0.0.0/8
                    || first == 100 && (second & 0xc0) == 64 // CGNAT 100.64.0.0/10
                    || first == 255 && second == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255;
        }
        return true;
    }
}

package dev.latch.idp.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.idp.config.IdpConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Outbound HTTP to identity providers: connect and request timeouts, answers bounded in size, and
 * redirects never followed (a provider endpoint that redirects is a misconfiguration, and following
 * one to another host would leak the code or token).
 */
@ApplicationScoped
public class ProviderHttp {

    public static final class ProviderCallException extends Exception {
        private final int status;

        public ProviderCallException(String message, int status) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final IdpConfig.Http config;
    private final ObjectMapper json;
    private final HttpClient client;

    public ProviderHttp(IdpConfig config, ObjectMapper json) {
        this.config = config.http();
        this.json = json;
        this.client = HttpClient.newBuilder()
                .connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public JsonNode getJson(String url, String bearer) throws ProviderCallException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .header("User-Agent", "Latch")
                .GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    public JsonNode postForm(String url, Map<String, String> form, String basicAuth) throws ProviderCallException {
        String body = form.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .header("User-Agent", "Latch")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basicAuth != null) {
            request.header("Authorization", "Basic " + basicAuth);
        }
        return send(request.build());
    }

    private JsonNode send(HttpRequest request) throws ProviderCallException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ProviderCallException("provider unreachable: " + e.getClass().getSimpleName(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderCallException("interrupted", 0);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = readBounded(in, config.maxResponseBytes());
        } catch (IOException e) {
            throw new ProviderCallException("provider answer unreadable or too large", response.statusCode());
        }
        if (response.statusCode() / 100 != 2) {
            throw new ProviderCallException("provider answered " + response.statusCode(), response.statusCode());
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new ProviderCallException("provider answer is not JSON", response.statusCode());
        }
    }

    private static byte[] readBounded(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int total = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            total += n;
            if (total > max) {
                throw new IOException("answer larger than " + max + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

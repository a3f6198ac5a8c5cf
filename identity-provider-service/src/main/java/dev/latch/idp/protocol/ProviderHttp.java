package dev.latch.idp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.idp.config.IdpConfig;
import dev.latch.idp.provider.ProviderUrlPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Outbound HTTP to identity providers: the target's address checked right before each call (SSRF:
 * DNS answers change after a URL was stored), connect and header timeouts plus a deadline for the
 * whole answer (a provider trickling bytes is cut off), answers bounded in size, and redirects never
 * followed (a provider endpoint that redirects is a misconfiguration, and following one to another
 * host would leak the code or token).
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
    private final ProviderUrlPolicy urls;
    private final HttpClient client;

    public ProviderHttp(IdpConfig config, ObjectMapper json, ProviderUrlPolicy urls) {
        this.config = config.http();
        this.json = json;
        this.urls = urls;
        this.client = HttpClient.newBuilder()
                .connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public JsonNode getJson(String url, String bearer) throws ProviderCallException {
        HttpRequest.Builder request = HttpRequest.newBuilder(checked(url))
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
        HttpRequest.Builder request = HttpRequest.newBuilder(checked(url))
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

    private URI checked(String url) throws ProviderCallException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ProviderCallException("provider URL is not a URL", 0);
        }
        var refusal = urls.refusal(url);
        if (refusal.isPresent()) {
            throw new ProviderCallException("provider URL refused: it " + refusal.get(), 0);
        }
        return uri;
    }

    private JsonNode send(HttpRequest request) throws ProviderCallException {
        Bounded body = new Bounded(config.maxResponseBytes());
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request, info -> body);
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(config.responseDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            body.abort();
            throw new ProviderCallException("provider answer not complete within " + config.responseDeadline(), 0);
        } catch (ExecutionException e) {
            String what = e.getCause() instanceof TooLarge
                    ? "provider answer larger than " + config.maxResponseBytes() + " bytes"
                    : "provider unreachable: " + e.getCause().getClass().getSimpleName();
            throw new ProviderCallException(what, 0);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            body.abort();
            Thread.currentThread().interrupt();
            throw new ProviderCallException("interrupted", 0);
        }
        if (response.statusCode() / 100 != 2) {
            throw new ProviderCallException("provider answered " + response.statusCode(), response.statusCode());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new ProviderCallException("provider answer is not JSON", response.statusCode());
        }
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("answer too large", null);
        }
    }

    /** Collects an answer up to a size; cancelling its subscription makes the client drop the connection. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;

        Bounded(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                if (out.size() + item.remaining() > max) {
                    abort();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }

        void abort() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

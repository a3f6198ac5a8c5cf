package dev.latch.storage.presign;

import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import dev.latch.storage.config.StorageKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of this service's own URLs: {@code /file/attachments/{uid}/{filename}} (GET)
 * and {@code /file/uploads/{id}} (PUT). The purpose is part of the signed message, so one kind of URL
 * can never be turned into the other. Signatures are checked in constant time; an altered, missing or
 * expired signature is 403.
 */
@ApplicationScoped
public class UrlSigner {

    private final SecretKeySpec key;

    public UrlSigner(StorageKeys keys) {
        this.key = new SecretKeySpec(keys.urlSigningKey(), "HmacSHA256");
    }

    public String signDownload(String uid, String filename, long exp) {
        return sign("GET attachment\n" + uid + "\n" + filename + "\n" + exp);
    }

    public String signUpload(String id, long exp) {
        return sign("PUT upload\n" + id + "\n" + exp);
    }

    public void verifyDownload(String uid, String filename, String exp, String sig) {
        long expiry = expiry(exp);
        verify(sig, signDownload(uid, filename, expiry), expiry);
    }

    public void verifyUpload(String id, String exp, String sig) {
        long expiry = expiry(exp);
        verify(sig, signUpload(id, expiry), expiry);
    }

    private static long expiry(String exp) {
        if (exp == null || !exp.matches("[0-9]{1,12}")) {
            throw denied();
        }
        return Long.parseLong(exp);
    }

    private static void verify(String given, String expected, long exp) {
        // compare first, in constant time, then check the time: the answer is the same 403 either way
        boolean match = given != null && SecureTokens.constantTimeEquals(given, expected);
        if (!match || Instant.now().getEpochSecond() > exp) {
            throw denied();
        }
    }

    private static ProblemException denied() {
        return ProblemException.forbidden("The link is invalid or has expired.");
    }

    private String sign(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return SecureTokens.base64Url(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

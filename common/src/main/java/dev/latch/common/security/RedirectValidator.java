package dev.latch.common.security;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a post-login {@code redirect_to} value: it must be a path on this site, never a way off it.
 *
 * <p>The value must start with {@code /}, must not start with {@code //} or {@code /\}, must not be
 * absolute, and must not contain backslashes, whitespace, control characters or non-ASCII characters.
 * Encoded forms that something downstream could decode again ({@code %2F}, {@code %5C}, {@code %25},
 * encoded whitespace and control characters) are refused outright. The same checks are then applied
 * after one percent-decoding, after Unicode NFKC folding (fullwidth solidus and friends) and after
 * dot-segment removal, so {@code /%2e%2e//evil.com} and {@code /／/evil.com} fail too.
 */
public final class RedirectValidator {

    public static final int MAX_LENGTH = 2048;

    private RedirectValidator() {}

    public static boolean isSafe(String raw) {
        return reason(raw).isEmpty();
    }

    /** Why {@code raw} is refused, or empty when it is a safe local path. */
    public static Optional<String> reason(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Optional.of("redirect_to is required");
        }
        if (raw.length() > MAX_LENGTH) {
            return Optional.of("redirect_to is too long");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return Optional.of("redirect_to may contain only printable ASCII characters");
            }
        }
        Optional<String> shape = checkShape(raw);
        if (shape.isPresent()) {
            return shape;
        }
        String decoded;
        try {
            decoded = decodeOnce(raw);
        } catch (IllegalArgumentException e) {
            return Optional.of("redirect_to " + e.getMessage());
        }
        Optional<String> decodedShape = checkShape(decoded);
        if (decodedShape.isPresent()) {
            return decodedShape.map(r -> r + " (after decoding)");
        }
        String folded = Normalizer.normalize(decoded, Normalizer.Form.NFKC);
        Optional<String> foldedShape = checkShape(folded);
        if (foldedShape.isPresent()) {
            return foldedShape.map(r -> r + " (after Unicode normalisation)");
        }
        String path = pathPart(folded);
        if (removeDotSegments(path).startsWith("//")) {
            return Optional.of("redirect_to must not resolve to another host");
        }
        return Optional.empty();
    }

    private static Optional<String> checkShape(String value) {
        if (!value.startsWith("/")) {
            return Optional.of("redirect_to must be a path starting with '/'");
        }
        if (value.startsWith("//")) {
            return Optional.of("redirect_to must not start with '//'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                return Optional.of("redirect_to must not contain backslashes");
            }
            if (Character.isISOControl(c)
                    || Character.isWhitespace(c)
                    || Character.isSpaceChar(c)
                    || Character.getType(c) == Character.FORMAT) {
                return Optional.of("redirect_to must not contain whitespace or control characters");
            }
        }
        return Optional.empty();
    }

    /** One pass of percent-decoding as UTF-8; refuses encodings that a second decoder could turn into a way out. */
    static String decodeOnce(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i + 2 >= raw.length()) {
                throw new IllegalArgumentException("has a truncated percent-encoding");
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("has an invalid percent-encoding");
            }
            int b = (hi << 4) | lo;
            if (b == '/' || b == '\\' || b == '%' || b <= 0x20 || b == 0x7f) {
                throw new IllegalArgumentException(
                        "must not percent-encode '/', '\\', '%', whitespace or control characters");
            }
            out.write(b);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("is not valid UTF-8 once decoded");
        }
    }

    private static String pathPart(String value) {
        int end = value.length();
        int q = value.indexOf('?');
        int h = value.indexOf('#');
        if (q >= 0) {
            end = q;
        }
        if (h >= 0 && h < end) {
            end = h;
        }
        return value.substring(0, end);
    }

    /** RFC 3986 §5.2.4 on an absolute path. */
    static String removeDotSegments(String path) {
        List<String> out = new ArrayList<>();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".")) {
                if (last) {
                    out.add("");
                }
            } else if (s.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                if (last) {
                    out.add("");
                }
            } else {
                out.add(s);
            }
        }
        return "/" + String.join("/", out);
    }
}

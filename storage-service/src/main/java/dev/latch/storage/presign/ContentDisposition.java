package dev.latch.storage.presign;

import java.nio.charset.StandardCharsets;

/** {@code Content-Disposition} per RFC 6266 with an ASCII fallback and the RFC 5987 {@code filename*} form. */
public final class ContentDisposition {

    private ContentDisposition() {}

    public static String of(boolean inline, String filename) {
        return (inline ? "inline" : "attachment") + "; filename=\"" + asciiFallback(filename) + "\"; filename*=UTF-8''"
                + encode(filename);
    }

    static String asciiFallback(String filename) {
        StringBuilder sb = new StringBuilder(filename.length());
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        return sb.toString();
    }

    /** RFC 5987 attr-char stays, everything else is percent-encoded UTF-8. */
    public static String encode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** A URL path segment: unreserved characters (RFC 3986) stay, everything else is percent-encoded UTF-8. */
    public static String encodePathSegment(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}

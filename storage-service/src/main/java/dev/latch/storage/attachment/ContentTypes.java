package dev.latch.storage.attachment;

import dev.latch.common.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.tika.Tika;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * What an upload really is, decided from its first bytes (and its name) by Apache Tika — never from
 * what the client declares — checked against the allowlist; a declaration that contradicts the content
 * (HTML sent as {@code image/png}) is refused as a spoof.
 */
@ApplicationScoped
public class ContentTypes {

    /** Bytes looked at; Tika's magic patterns and XML root detection fit in this. */
    public static final int PREFIX_BYTES = 64 * 1024;

    /** Types a browser renders inline without running anything. SVG is an image that runs scripts: not here. */
    private static final Set<String> INLINE = Set.of(
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "image/avif",
            "image/bmp",
            "image/x-icon",
            "image/vnd.microsoft.icon",
            "application/pdf",
            "text/plain",
            "text/csv");

    private static final Set<String> NO_DECLARATION = Set.of(
            "application/octet-stream",
            "binary/octet-stream",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/unknown");

    private final Tika tika = new Tika();
    private final MediaTypeRegistry registry = MimeTypes.getDefaultMimeTypes().getMediaTypeRegistry();

    /** The detected base type, e.g. {@code image/png}; {@code application/octet-stream} when unknown. */
    public String detect(byte[] prefix, String filename) {
        MediaType type = MediaType.parse(tika.detect(prefix, filename));
        return type == null
                ? MediaType.OCTET_STREAM.toString()
                : registry.normalize(type.getBaseType()).toString();
    }

    /** 415 unless {@code type} matches an entry of the allowlist ({@code type/*} and {@code *}{@code /*} wildcards). */
    public void checkAllowed(String type, List<String> allowed) {
        if (!isAllowed(type, allowed)) {
            throw new ProblemException(
                    415, "Unsupported Media Type", "Files of type " + type + " are not accepted here.");
        }
    }

    public boolean isAllowed(String type, List<String> allowed) {
        MediaType t = MediaType.parse(type);
        if (t == null) {
            return false;
        }
        String base = registry.normalize(t.getBaseType()).toString();
        String major = base.substring(0, base.indexOf('/'));
        for (String entry : allowed) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.equals("*/*") || e.equals(major + "/*") || e.equals(base)) {
                return true;
            }
            MediaType parsed = MediaType.parse(e);
            if (parsed != null
                    && !e.endsWith("/*")
                    && registry.normalize(parsed.getBaseType()).toString().equals(base)) {
                return true;
            }
        }
        return false;
    }

    /**
     * 415 when the client declared a specific type that the content contradicts. A declaration is
     * consistent when it names the detected type, an alias, or a type of the same family (application/zip
     * for a .docx); a generic one (application/octet-stream) says nothing and is ignored.
     */
    public void checkDeclared(String declared, String detected) {
        if (declared == null || declared.isBlank()) {
            return;
        }
        MediaType d = MediaType.parse(declared.trim().toLowerCase(Locale.ROOT));
        if (d == null) {
            throw new ProblemException(415, "Unsupported Media Type", "The declared content type is not valid.");
        }
        MediaType dBase = registry.normalize(d.getBaseType());
        if (NO_DECLARATION.contains(dBase.toString())) {
            return;
        }
        MediaType det = registry.normalize(MediaType.parse(detected).getBaseType());
        if (dBase.equals(det)
                || registry.isSpecializationOf(det, dBase)
                || (registry.isSpecializationOf(dBase, det)
                        && !det.equals(MediaType.TEXT_PLAIN)
                        && !det.equals(MediaType.OCTET_STREAM)
                        && !det.equals(MediaType.APPLICATION_XML))) {
            return;
        }
        throw new ProblemException(
                415, "Unsupported Media Type", "The content is " + det + ", not the declared " + dBase + ".");
    }

    /** Whether a browser may show it in place; everything else is served as an attachment (download). */
    public static boolean inline(String type) {
        return INLINE.contains(type);
    }
}

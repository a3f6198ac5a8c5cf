package dev.latch.common.security;

import java.util.List;

/** Payloads every {@code redirect_to} check must refuse; in the test-jar so the broker's tests reuse it. */
public final class OpenRedirectCorpus {

    private OpenRedirectCorpus() {}

    public static final List<String> PAYLOADS = List.of(
            // absolute and scheme-relative
            "https://evil.com",
            "http://evil.com/",
            "HTTPS://EVIL.COM",
            "//evil.com",
            "//evil.com/path",
            "///evil.com",
            "////evil.com",
            "https:evil.com",
            "https:/evil.com",
            "http:/\\evil.com",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "evil.com",
            "evil.com/path",
            "",
            "ftp://evil.com",
            // backslash families (CVE-2020-5233)
            "/\\evil.com",
            "/\\/evil.com",
            "\\/\\/evil.com",
            "\\\\evil.com",
            "\\/evil.com",
            "/\\\\evil.com",
            "/a\\b",
            // control characters and whitespace (CVE-2020-11053)
            "/\t/evil.com",
            "/\n/evil.com",
            "/\r/evil.com",
            " //evil.com",
            "/ /evil.com",
            "\u0000//evil.com",
            "/\u0000/evil.com",
            "/\u007f/evil.com",
            "/path\r\nSet-Cookie: x=1",
            // percent-encoded separators, whitespace and controls
            "/%09/evil.com",
            "/%0a/evil.com",
            "/%0d/evil.com",
            "/%20/evil.com",
            "/%00/evil.com",
            "/%5cevil.com",
            "/%5Cevil.com",
            "/%2fevil.com",
            "/%2F%2Fevil.com",
            "%2f%2fevil.com",
            "%2F/evil.com",
            "/%2e%2e//evil.com",
            "/%2E%2E%2F%2Fevil.com",
            "/..//evil.com",
            "/.//evil.com",
            "/a/../..//evil.com",
            // double and malformed encodings
            "/%252f%252fevil.com",
            "/%255cevil.com",
            "%252F%252Fevil.com",
            "/%25",
            "/%",
            "/%zz",
            "/%c0%af/evil.com",
            "/%e0%80%af/evil.com",
            "/%ff",
            // userinfo tricks
            "https://latch.dev@evil.com",
            "//latch.dev@evil.com",
            "https://latch.dev%40evil.com",
            "/\\latch.dev@evil.com",
            "@evil.com",
            "http://evil.com#@latch.dev",
            // Unicode lookalikes, raw and encoded
            "/\uff0f/evil.com",
            "\uff0f\uff0fevil.com",
            "/\uff3cevil.com",
            "/%EF%BC%8F/evil.com",
            "/%EF%BC%BCevil.com",
            "/\u3002evil.com",
            "/\u2215/evil.com",
            "/\u202e/moc.live",
            "/\u200b/evil.com",
            "/%E2%80%AE/moc.live",
            "/%E2%80%8B/evil.com",
            "/\u00a0/evil.com",
            "/%C2%A0/evil.com");
}

package dev.latch.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class PersonalAccessTokensTest {

    @Test
    void generatedTokenHasPrefixRandomPartAndChecksum() {
        String pat = PersonalAccessTokens.generate();
        assertEquals(PersonalAccessTokens.LENGTH, pat.length());
        assertTrue(pat.startsWith("latch_pat_"));
        assertTrue(PersonalAccessTokens.isWellFormed(pat));
    }

    @Test
    void checksumIsCrc32OfRandomPartInBase62MostSignificantFirst() {
        String random = "0123456789abcdefghijABCDEFGHIJxy";
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        StringBuilder expected = new StringBuilder();
        for (long v = value; v > 0; v /= 62) {
            expected.insert(0, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".charAt((int) (v % 62)));
        }
        while (expected.length() < 6) {
            expected.insert(0, '0');
        }
        assertEquals(expected.toString(), PersonalAccessTokens.checksum(random));
    }

    @Test
    void base62PadsAndOrdersDigits() {
        assertEquals("000000", SecureTokens.base62(0, 6));
        assertEquals("00000z", SecureTokens.base62(61, 6));
        assertEquals("000010", SecureTokens.base62(62, 6));
        assertEquals("4gfFC3", SecureTokens.base62(4294967295L, 6));
    }

    @Test
    void alteredTokenFailsChecksum() {
        String pat = PersonalAccessTokens.generate();
        char c = pat.charAt(15);
        String altered = pat.substring(0, 15) + (c == 'a' ? 'b' : 'a') + pat.substring(16);
        assertFalse(PersonalAccessTokens.isWellFormed(altered));
        assertFalse(PersonalAccessTokens.isWellFormed(pat.substring(1)));
        assertFalse(PersonalAccessTokens.isWellFormed(pat + "0"));
        assertFalse(PersonalAccessTokens.isWellFormed(pat.replace("latch_pat_", "latch_tap_")));
        assertFalse(PersonalAccessTokens.isWellFormed(pat.substring(0, 20) + "-" + pat.substring(21)));
    }

    @Test
    void randomBase62IsUniformEnoughAndConstantTimeEqualsWorks() {
        assertEquals(32, SecureTokens.randomBase62(32).length());
        assertTrue(SecureTokens.isBase62(SecureTokens.randomBase62(100)));
        assertTrue(SecureTokens.constantTimeEquals("abc", "abc"));
        assertFalse(SecureTokens.constantTimeEquals("abc", "abd"));
        assertFalse(SecureTokens.constantTimeEquals("abc", null));
        assertEquals(43, SecureTokens.randomBase64Url(32).length());
    }
}

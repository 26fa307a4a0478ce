package io.tessera.delivery.mime;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * RFC 2047 encoded words for unstructured header text (the subject): exactly what Jakarta Mail's
 * {@code MimeUtility.encodeText(text, "UTF-8", null)} writes — text without non-ASCII characters
 * unchanged; otherwise {@code =?UTF-8?Q?…?=} when ASCII characters outnumber the others, else
 * {@code =?UTF-8?B?…?=}; a word longer than 75 characters split in halves (never between the
 * halves of a surrogate pair) joined by a space.
 *
 * <p>Implementation note: {@code MimeUtility} looks its encoder streams up through
 * {@code ServiceLoader} on every word — 7% of a complete message's CPU when a recipient's name is
 * not ASCII (JFR of {@code RenderCpuPerMessage}, docs/BENCHMARKS.md). {@code EncodedWordsTest}
 * compares this class with {@code MimeUtility} on random text. Stateless.
 */
final class EncodedWords {

    private static final String CHARSET = "UTF-8";
    /** 75 characters per word minus "=?", "?Q?" and "?=" and the charset name. */
    private static final int AVAILABLE = 75 - 7 - CHARSET.length();
    private static final String Q_SPECIALS = "=_?";
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

    private EncodedWords() {
    }

    static String encode(String text) {
        int ascii = 0;
        int other = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0177 || (c < 040 && c != '\r' && c != '\n' && c != '\t')) {
                other++;
            } else {
                ascii++;
            }
        }
        if (other == 0) {
            return text;
        }
        boolean base64 = ascii <= other;
        StringBuilder out = new StringBuilder(text.length() * 3 + 16);
        encode(text, base64, true, out);
        return out.toString();
    }

    private static void encode(String text, boolean base64, boolean first, StringBuilder out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int length = base64 ? (bytes.length + 2) / 3 * 4 : qLength(bytes);
        int size = text.length();
        if (length > AVAILABLE && size > 1) {
            int split = size / 2;
            if (Character.isHighSurrogate(text.charAt(split - 1))) {
                split--;
            }
            if (split > 0) {
                encode(text.substring(0, split), base64, first, out);
            }
            encode(text.substring(split, size), base64, false, out);
            return;
        }
        if (!first) {
            out.append(' ');
        }
        out.append("=?").append(CHARSET).append(base64 ? "?B?" : "?Q?");
        if (base64) {
            out.append(Base64.getEncoder().encodeToString(bytes));
        } else {
            for (byte b : bytes) {
                int c = b & 0xff;
                if (c == ' ') {
                    out.append('_');
                } else if (c < 040 || c >= 0177 || Q_SPECIALS.indexOf(c) >= 0) {
                    out.append('=').append((char) HEX[c >> 4]).append((char) HEX[c & 0xf]);
                } else {
                    out.append((char) c);
                }
            }
        }
        out.append("?=");
    }

    private static int qLength(byte[] bytes) {
        int n = 0;
        for (byte b : bytes) {
            int c = b & 0xff;
            n += c < 040 || c >= 0177 || Q_SPECIALS.indexOf(c) >= 0 ? 3 : 1;
        }
        return n;
    }
}

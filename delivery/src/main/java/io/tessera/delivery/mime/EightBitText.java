package io.tessera.delivery.mime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A body part as {@code Content-Transfer-Encoding: 8bit} (RFC 2045 §2.8, RFC 6152): the text's
 * UTF-8 bytes with every line break made CRLF — or nothing, when the text cannot be 8bit: a line
 * longer than 998 octets (RFC 5322 §2.1.1) or a NUL byte. The caller then writes the part
 * quoted-printable instead. Dots opening a line are left to the SMTP client's dot-stuffing
 * (unlike quoted-printable, which escapes them for relays that might not stuff).
 *
 * <p>Why: quoted-printable was 10–17% of a message's CPU in the delivery benchmark
 * (docs/BENCHMARKS.md, "Delivery, session 6"). Implementation note: a first version took
 * {@code getBytes(UTF_8)} and scanned the bytes one by one for line breaks: still ~11% of Java
 * samples (JFR, the same benchmark; the "★" of a product rating makes the HTML UTF-16, whose UTF-8
 * encoding is a scalar loop). Now line ends are found with {@code String.indexOf} (vectorized) and
 * each line is encoded by a per-thread UTF-8 {@link CharsetEncoder} straight into the message's
 * array (its ASCII runs are an intrinsic); text with a carriage return, rare, takes the byte-wise
 * path. Lone surrogates become '?', as in {@link QuotedPrintable} and {@code String.getBytes(UTF_8)}.
 */
final class EightBitText {

    /** RFC 5322 §2.1.1: a line is at most 998 octets, the CRLF not counted. */
    static final int MAX_LINE = 998;

    private EightBitText() {
    }

    /** Each platform thread's text (grown to the largest seen) and UTF-8 encoder. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        char[] chars = new char[0];
        final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    /** Appends the 8bit form of {@code text} to {@code sink}; false (and nothing appended) if it has none. */
    static boolean encode(String text, MessageBytes sink) {
        if (text.indexOf('\0') >= 0) {
            return false;
        }
        if (text.indexOf('\r') >= 0) {
            return encodeBytewise(text, sink);
        }
        int len = text.length();
        Scratch scratch = Thread.currentThread().isVirtual() ? new Scratch() : SCRATCH.get();
        if (scratch.chars.length < len) {
            scratch.chars = new char[len + len / 4];
        }
        char[] chars = scratch.chars;
        text.getChars(0, len, chars, 0);
        CharBuffer in = CharBuffer.wrap(chars, 0, len);
        // one ByteBuffer over the message's array for every line (re-made only when the array
        // grows) and one encode call a line, without a reset or flush: the buffer, reset and flush
        // per line were a third of this method (JFR, docs/BENCHMARKS.md "Delivery CPU, session 7")
        int start = sink.size;
        byte[] buf = sink.buf;
        ByteBuffer out = ByteBuffer.wrap(buf, sink.size, buf.length - sink.size);
        CharsetEncoder utf8 = scratch.utf8;
        utf8.reset();
        int i = 0;
        while (i < len) {
            int j = text.indexOf('\n', i);
            int end = j < 0 ? len : j;
            if (end - i > MAX_LINE) {
                sink.size = start;
                return false;
            }
            int lineStart = out.position();
            sink.size = lineStart;
            sink.ensure(3 * (end - i) + 2); // a char is at most 3 bytes (a surrogate pair 4), the line break 2
            if (sink.buf != buf) {
                buf = sink.buf;
                out = ByteBuffer.wrap(buf, lineStart, buf.length - lineStart);
            }
            in.limit(end).position(i);
            CoderResult r = utf8.encode(in, out, false);
            if (!r.isUnderflow()) {
                throw new IllegalStateException("UTF-8 encoding of a line failed: " + r);
            }
            if (in.hasRemaining()) {
                out.put((byte) '?'); // a high surrogate ending the line, which the encoder keeps for its pair: lone, so '?'
            }
            if (out.position() - lineStart > MAX_LINE) {
                sink.size = start;
                return false;
            }
            if (j < 0) {
                break;
            }
            int at = out.position();
            buf[at] = '\r';
            buf[at + 1] = '\n';
            out.position(at + 2);
            i = j + 1;
        }
        sink.size = out.position();
        return true;
    }

    /** The same for text with carriage returns (CR, LF and CRLF each become CRLF), byte by byte. */
    private static boolean encodeBytewise(String text, MessageBytes sink) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        int start = sink.size;
        int len = in.length;
        sink.ensure(len + len / 32 + 16);
        int i = 0;
        while (i < len) {
            int j = i;
            byte b = 0;
            while (j < len && (b = in[j]) != '\r' && b != '\n') {
                if (b == 0) {
                    sink.size = start;
                    return false;
                }
                j++;
            }
            if (j - i > MAX_LINE) {
                sink.size = start;
                return false;
            }
            sink.ensure(j - i + 2);
            System.arraycopy(in, i, sink.buf, sink.size, j - i);
            sink.size += j - i;
            if (j == len) {
                break;
            }
            sink.buf[sink.size++] = '\r';
            sink.buf[sink.size++] = '\n';
            i = b == '\r' && j + 1 < len && in[j + 1] == '\n' ? j + 2 : j + 1;
        }
        return true;
    }
}

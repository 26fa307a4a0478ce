package io.tessera.delivery.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The DATA section of one message written straight to a plain socket: every line break made CRLF
 * and every line that starts with "." given a second one (RFC 5321 §4.5.2) — byte for byte what
 * Angus' {@code SMTPOutputStream} sends (its {@code CRLFOutputStream} rules included), in one pass
 * and one socket write per {@link #write(byte[], int, int)}.
 *
 * <p>Why: Angus' stream scans the message twice, byte by byte, and hands each 76-byte
 * quoted-printable line and its CRLF to a {@code BufferedOutputStream} separately: 63–84 µs of
 * CPU for a 30 kB message, 23–30 µs here (same single-thread loop; docs/BENCHMARKS.md, "Write
 * watchdog instead of Angus' write timeout"; docs/adr/0004-smtp-write-path.md), against ~0.6–0.7 ms
 * for everything per message at the 2,000/s target. Outside line breaks there is nothing to
 * stuff, so the rest of a line is copied with one {@code arraycopy} (a byte-by-byte copy was no
 * faster than Angus). Used only on plain connections ({@link DirectDataTransport}); over TLS
 * Angus' stream stays.
 *
 * <p>Confined to the sending thread; one instance per message (its output array is the thread's).
 */
final class DotStuffedBody extends OutputStream {

    /**
     * Each thread's output array, kept for its next message (twice the message's size: 56 KB
     * allocated and zeroed per message before; docs/BENCHMARKS.md "Delivery CPU, session 7").
     * Arrays over {@link #KEEP_AT_MOST} are not kept, nor any on a virtual thread.
     */
    private static final byte[] EMPTY = new byte[0];
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> EMPTY);
    private static final int KEEP_AT_MOST = 1 << 20;

    private final OutputStream socket;
    /** The output array on a virtual thread (kept for this message only). */
    private byte[] own = EMPTY;
    private int lastByte = -1;
    private boolean atLineStart = true;

    DotStuffedBody(OutputStream socket) {
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        // worst case every byte becomes two (a bare line break, or a dot after one)
        // a virtual thread lives for one task: its array stays with this message, not the thread
        boolean virtual = Thread.currentThread().isVirtual();
        byte[] buf = virtual ? own : SCRATCH.get();
        if (buf.length < 2 * len) {
            buf = new byte[Math.max(2 * len, 64)];
            if (virtual) {
                own = buf;
            } else if (buf.length <= KEEP_AT_MOST) {
                SCRATCH.set(buf);
            }
        }
        int n = 0;
        int last = lastByte;
        boolean lineStart = atLineStart;
        int end = off + len;
        int i = off;
        while (i < end) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                if (c == '\r' || last != '\r') {
                    buf[n++] = '\r';
                    buf[n++] = '\n';
                }
                lineStart = true;
                last = c;
                i++;
                continue;
            }
            if (c == '.' && lineStart) {
                buf[n++] = '.';
            }
            // the rest of the line: no line break in it, so no dot to stuff; copied in one go
            int j = lineBreak(b, i + 1, end);
            System.arraycopy(b, i, buf, n, j - i);
            n += j - i;
            lineStart = false;
            last = b[j - 1];
            i = j;
        }
        lastByte = last;
        atLineStart = lineStart;
        socket.write(buf, 0, n);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;

    /**
     * The index of the first CR or LF in {@code b[from, end)}, or {@code end}. Eight bytes at a time:
     * with 8bit bodies lines are long (hundreds of bytes) and the byte-by-byte scan was 4% of the
     * delivery benchmark's Java samples (docs/BENCHMARKS.md, "Delivery, session 6"). The classic
     * zero-byte test on {@code word ^ pattern} can flag a byte above a true match (a borrow), never
     * below one, so its lowest flag is exact.
     */
    static int lineBreak(byte[] b, int from, int end) {
        int i = from;
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONGS.get(b, i);
            long lf = w ^ LFS;
            long cr = w ^ CRS;
            long found = ((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < end && b[i] != '\r' && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /** Ends the last line if the message did not: the terminating "." must start a line. */
    void endAtLineStart() throws IOException {
        if (!atLineStart) {
            socket.write(new byte[] {'\r', '\n'});
            atLineStart = true;
            lastByte = '\n';
        }
    }

    @Override
    public void flush() throws IOException {
        socket.flush();
    }

}

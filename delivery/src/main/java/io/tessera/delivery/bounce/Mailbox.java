package io.tessera.delivery.bounce;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The messages in a bounce mailbox: an mbox file (mboxrd: {@code "From "} separator lines,
 * {@code ">From "} unquoted) or a Maildir directory ({@code new/} and {@code cur/}; a plain
 * directory of {@code .eml} files works too). Reading a Maildir marks what it handled as seen by
 * moving it from {@code new/} to {@code cur/} with the {@code :2,S} flag, as mail readers do, so
 * polling {@code new/} picks up only fresh bounces. Not thread-safe: one reader per mailbox.
 */
public final class Mailbox {

    /** One message and where it came from (file name, or mbox ordinal). */
    public record Message(String origin, byte[] raw) {}

    private Mailbox() {
    }

    /** Every message: mbox in file order, Maildir {@code cur/} then {@code new/} in name order. */
    public static void readAll(Path mailbox, Consumer<Message> each) {
        if (Files.isDirectory(mailbox)) {
            if (Files.isDirectory(mailbox.resolve("cur")) || Files.isDirectory(mailbox.resolve("new"))) {
                files(mailbox.resolve("cur")).forEach(f -> each.accept(read(f)));
                readNew(mailbox, each);
            } else {
                files(mailbox).forEach(f -> each.accept(read(f)));
            }
        } else {
            mbox(mailbox, each);
        }
    }

    /** Only the Maildir's {@code new/} messages; each is moved to {@code cur/} once {@code each} returned. Returns how many. */
    public static int readNew(Path maildir, Consumer<Message> each) {
        int n = 0;
        for (Path f : files(maildir.resolve("new"))) {
            each.accept(read(f));
            try {
                Files.createDirectories(maildir.resolve("cur"));
                Files.move(f, maildir.resolve("cur").resolve(f.getFileName() + (f.getFileName().toString().contains(":2,") ? "" : ":2,S")),
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot mark " + f + " as seen", e);
            }
            n++;
        }
        return n;
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static Message read(Path f) {
        try {
            return new Message(f.getFileName().toString(), Files.readAllBytes(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    /** Splits an mbox at {@code "From "} lines (at the start or after a blank line) and unquotes {@code >From}. */
    static void mbox(Path file, Consumer<Message> each) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream current = null;
            boolean previousBlank = true;
            int ordinal = 0;
            byte[] line;
            while ((line = readLine(in)) != null) {
                if (previousBlank && startsWith(line, "From ")) {
                    if (current != null) {
                        each.accept(new Message(file.getFileName() + "#" + ordinal, trimLastNewline(current.toByteArray())));
                    }
                    ordinal++;
                    current = new ByteArrayOutputStream();
                    previousBlank = false;
                    continue;
                }
                if (current == null) {
                    previousBlank = isBlank(line);
                    continue;
                }
                int quotes = 0;
                while (quotes < line.length && line[quotes] == '>') {
                    quotes++;
                }
                if (quotes > 0 && startsWith(java.util.Arrays.copyOfRange(line, quotes, line.length), "From ")) {
                    current.write(line, 1, line.length - 1);
                } else {
                    current.write(line);
                }
                previousBlank = isBlank(line);
            }
            if (current != null) {
                each.accept(new Message(file.getFileName() + "#" + ordinal, current.toByteArray()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mbox " + file, e);
        }
    }

    /** The separator's preceding blank line belongs to the mbox format, not to the message. */
    private static byte[] trimLastNewline(byte[] b) {
        int end = b.length;
        if (end > 0 && b[end - 1] == '\n') {
            end--;
            if (end > 0 && b[end - 1] == '\r') {
                end--;
            }
        }
        return java.util.Arrays.copyOf(b, end);
    }

    /** A line including its terminator; null at the end. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    private static boolean startsWith(byte[] line, String prefix) {
        if (line.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(byte[] line) {
        for (byte x : line) {
            if (x != '\r' && x != '\n') {
                return false;
            }
        }
        return true;
    }
}

package io.tessera.delivery.smtp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A FAKE relay: an SMTP server we wrote ourselves, on a loopback socket, whose replies are
 * scripted: per-recipient RCPT replies, replies at end of data, dropped connections, and a record
 * of every message it accepted. The relay faults of the issue run against a real Postfix
 * ({@code testkit.TestPostfix}: {@code SmtpMailerFaultTest}, {@code CampaignPostfixFaultTest});
 * this fake remains only where exact timing matters that Postfix cannot be told to produce
 * (a connection cut between the final "." and the reply; a 5xx at end of data for one recipient)
 * and as a fast counting relay for the dispatcher's non-fault tests and the kill -9 test.
 * One virtual thread per connection; thread-safe.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    /** One accepted message. */
    public record Received(String envelopeFrom, List<String> recipients, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> rcptAttempts = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private volatile Function<String, Optional<String>> rcptRule = a -> Optional.empty();
    private volatile Function<String, Optional<String>> dataRule = a -> Optional.empty();
    private volatile int dropEveryNthTransaction;
    private volatile boolean dropAfterEndOfData;
    private volatile boolean pipelining;
    private volatile boolean dataWithoutRecipients;
    private final AtomicInteger emptyMessages = new AtomicInteger();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public ScriptedSmtpServer() throws IOException {
        this(0);
    }

    public ScriptedSmtpServer(int port) throws IOException {
        server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("scripted-smtp-accept").start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Reply to RCPT TO:<address> with this line instead of 250 when the rule returns one. */
    public ScriptedSmtpServer onRcpt(Function<String, Optional<String>> rule) {
        this.rcptRule = rule;
        return this;
    }

    /**
     * Reply to the final "." with this line instead of 250 when the rule returns one for the
     * (first) recipient: a rejection after the content was seen (spam filter, mailbox check at
     * delivery). A rejected message is not stored.
     */
    public ScriptedSmtpServer onEndOfData(Function<String, Optional<String>> rule) {
        this.dataRule = rule;
        return this;
    }

    /** Answer {@code reply} to the first {@code times} RCPT attempts for each address, then accept. */
    public ScriptedSmtpServer throttleFirstAttempts(int times, String reply) {
        return onRcpt(a -> rcptAttempts.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet() <= times
                ? Optional.of(reply) : Optional.empty());
    }

    /** Close the socket without a word when the n-th MAIL FROM (counted over all connections) arrives. */
    public ScriptedSmtpServer dropConnectionEveryNthTransaction(int n) {
        this.dropEveryNthTransaction = n;
        return this;
    }

    /** Store each message, then close the socket instead of answering the final ".". */
    public ScriptedSmtpServer dropAfterEndOfData(boolean on) {
        this.dropAfterEndOfData = on;
        return this;
    }

    /**
     * Advertise PIPELINING (RFC 2920) and hold the replies to MAIL FROM and RCPT TO until DATA
     * arrives, then send them with DATA's in one write: a client that waits for each reply before
     * its next command (does not pipeline) waits until its read timeout.
     */
    public ScriptedSmtpServer pipeliningOnly() {
        this.pipelining = true;
        return this;
    }

    /**
     * Answer DATA with 354 even when no recipient was accepted (RFC 2920 asks for 554; not every
     * server obeys), read the message, keep nothing, and answer its "." with 554.
     */
    public ScriptedSmtpServer acceptsDataWithoutRecipients() {
        this.dataWithoutRecipients = true;
        return this;
    }

    /** How many messages with no accepted recipient were sent after DATA (kept by no one). */
    public int emptyMessages() {
        return emptyMessages.get();
    }

    /** Every command line received, in order, over all connections (message bodies not included). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Number of messages accepted so far (cheap; for polling). */
    public int count() {
        return received.size();
    }

    public long receivedFor(String address) {
        return received.stream().filter(r -> r.recipients().contains(address)).count();
    }

    public int connectionsAccepted() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream socketOut = socket.getOutputStream()) {
            OutputStream out = socketOut;
            reply(out, "220 scripted.test ESMTP ready");
            String from = "";
            List<String> rcpts = new CopyOnWriteArrayList<>();
            StringBuilder held = new StringBuilder();
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                String upper = line.toUpperCase(java.util.Locale.ROOT);
                if (pipelining && (upper.startsWith("MAIL FROM:") || upper.startsWith("RCPT TO:"))) {
                    out = new HoldingStream(socketOut, held);
                } else if (pipelining) {
                    out = socketOut;
                    if (!held.isEmpty()) {
                        out.write(held.toString().getBytes(StandardCharsets.US_ASCII)); // before the reply to the command that ends the group
                        held.setLength(0);
                    }
                }
                if (upper.startsWith("EHLO")) {
                    reply(out, "250-scripted.test\r\n250-AUTH PLAIN LOGIN\r\n" + (pipelining ? "250-PIPELINING\r\n" : "")
                            + "250 8BITMIME");
                } else if (upper.startsWith("HELO")) {
                    reply(out, "250 scripted.test");
                } else if (upper.startsWith("AUTH")) {
                    reply(out, "235 2.7.0 accepted");
                } else if (upper.startsWith("MAIL FROM:")) {
                    int n = transactions.incrementAndGet();
                    if (dropEveryNthTransaction > 0 && n % dropEveryNthTransaction == 0) {
                        return;
                    }
                    from = address(line.substring(10));
                    rcpts.clear();
                    reply(out, "250 2.1.0 ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    String a = address(line.substring(8));
                    Optional<String> scripted = rcptRule.apply(a);
                    if (scripted.isPresent()) {
                        reply(out, scripted.get());
                    } else {
                        rcpts.add(a);
                        reply(out, "250 2.1.5 ok");
                    }
                } else if (upper.equals("DATA")) {
                    if (rcpts.isEmpty() && !dataWithoutRecipients) {
                        reply(out, "554 5.5.1 no valid recipients");
                        continue;
                    }
                    if (rcpts.isEmpty()) {
                        reply(out, "354 go ahead (to nobody)");
                        if (readData(in) == null) {
                            return;
                        }
                        emptyMessages.incrementAndGet();
                        reply(out, "554 5.5.1 no valid recipients");
                        continue;
                    }
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    byte[] data = readData(in);
                    if (data == null) {
                        return; // connection lost before the final ".": like any SMTP server, keep nothing
                    }
                    Optional<String> refused = dataRule.apply(rcpts.getFirst());
                    if (refused.isPresent()) {
                        reply(out, refused.get());
                        rcpts.clear();
                        continue;
                    }
                    received.add(new Received(from, List.copyOf(rcpts), data));
                    if (dropAfterEndOfData) {
                        return;
                    }
                    reply(out, "250 2.0.0 queued as " + received.size());
                } else if (upper.equals("RSET")) {
                    rcpts.clear();
                    reply(out, "250 2.0.0 ok");
                } else if (upper.equals("NOOP")) {
                    reply(out, "250 2.0.0 ok");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 bye");
                    return;
                } else {
                    reply(out, "502 5.5.2 unknown command");
                }
            }
        } catch (IOException e) {
            // client went away; nothing to clean up
        }
    }

    /** Replies that wait for the next unheld one (see {@link #pipeliningOnly()}). */
    private static final class HoldingStream extends OutputStream {
        private final OutputStream socket;
        private final StringBuilder held;

        HoldingStream(OutputStream socket, StringBuilder held) {
            this.socket = socket;
            this.held = held;
        }

        @Override
        public void write(int b) {
            held.append((char) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            held.append(new String(b, off, len, StandardCharsets.US_ASCII));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String address(String s) {
        String t = s.strip();
        int lt = t.indexOf('<');
        int gt = t.indexOf('>');
        return lt >= 0 && gt > lt ? t.substring(lt + 1, gt) : t;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    /** Reads DATA up to the lone ".", removing dot-stuffing; keeps CRLF line ends. Null if the connection ends first. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        String line;
        while (true) {
            line = readLine(in);
            if (line == null) {
                return null;
            }
            if (line.equals(".")) {
                break;
            }
            String unstuffed = line.startsWith(".") ? line.substring(1) : line;
            data.writeBytes(unstuffed.getBytes(StandardCharsets.UTF_8));
            data.writeBytes(new byte[] {'\r', '\n'});
        }
        return data.toByteArray();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}

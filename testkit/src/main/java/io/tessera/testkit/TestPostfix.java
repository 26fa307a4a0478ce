package io.tessera.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A private Postfix (Debian's binaries) for tests: its own {@code config_directory},
 * {@code queue_directory} and Maildir under {@code target/}, listening on a free loopback port,
 * accepting mail for every domain and delivering it with {@code virtual(8)} into one Maildir the
 * test reads back ({@link #received}, {@link #receivedFor}; Postfix's {@code Delivered-To} header
 * names the recipient). The master runs in the foreground ({@code master -d}) as a child of the
 * test JVM: nothing is started system-wide and {@link #close} stops it.
 *
 * <p>Faults are Postfix's own features: per-recipient replies through a {@code check_recipient_access}
 * hash map ({@link #recipientAccess}: rewritten, {@code postmap}-ed and {@code postfix reload}-ed
 * while running), throttling through anvil's {@code smtpd_client_message_rate_limit}
 * ({@link #messageRateLimit}), STARTTLS ({@link #requireTls}) and SMTP AUTH ({@link #requireAuth}, Cyrus
 * SASL with its own {@code sasldb2}), an outage ({@link #stop} / {@link #start} on the same port), and
 * connections cut mid-session ({@link #killSmtpdProcesses}: SIGKILL to this master's smtpd
 * children, by pid).
 *
 * <p>Postfix runs its master as root (it drops to the {@code postfix} user itself). Elsewhere —
 * no binaries, not root, no {@code postfix} user — {@link #create} <em>skips</em> the calling
 * test with the reason, or fails it when {@code TESSERA_REQUIRE_POSTFIX=1} ({@code .ci/run} sets it).
 *
 * <p>Threading: one test thread drives an instance; {@link #received} may be called from any thread.
 */
public final class TestPostfix implements AutoCloseable {
    private static final Path DAEMONS = Path.of("/usr/lib/postfix/sbin");
    private static final Path COMMANDS = Path.of("/usr/sbin");
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** myhostname, and the SASL realm of {@link #requireAuth}'s users. */
    private static final String REALM = "relay.tessera.test";
    private static final List<String> QUEUES = List.of("active", "bounce", "corrupt", "defer", "deferred", "flush",
            "hold", "incoming", "private", "saved", "trace");

    private final Path dir;
    private final int port;
    private final List<String> extraMain = new ArrayList<>();
    private boolean requireAuth;
    private Process master;

    /** One message as it landed in the Maildir. */
    public record Mail(String deliveredTo, String text) {}

    private TestPostfix(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** A configured, not yet started instance on a free port (skips or fails the caller, see the class comment). */
    public static TestPostfix create() {
        String missing = missing();
        if (!missing.isEmpty()) {
            unavailable(missing + " (apt-get install postfix; run as root)");
        }
        try {
            Path dir = Path.of("target", "postfix-" + ProcessHandle.current().pid() + "-" + INSTANCES.incrementAndGet())
                    .toAbsolutePath();
            if (!reachableByOthers(dir.getParent())) {
                dir = Files.createTempDirectory("tessera-postfix-"); // the postfix user must reach the Maildir
            }
            TestPostfix p = new TestPostfix(dir, freePort());
            p.layOut();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out a private Postfix", e);
        }
    }

    /** An instance already accepting mail. */
    public static TestPostfix started() {
        return create().start();
    }

    public int port() {
        return port;
    }

    /** Where config, queue, Maildir and {@code maillog} live. */
    public Path directory() {
        return dir;
    }

    /**
     * At most {@code messages} MAIL FROM per client per {@code unit} (anvil); beyond it smtpd replies
     * {@code 450 4.7.1 Error: too much mail}. Loopback is not exempt. Applied on the next start.
     */
    public TestPostfix messageRateLimit(int messages, Duration unit) {
        extraMain.add("smtpd_client_message_rate_limit = " + messages);
        extraMain.add("anvil_rate_time_unit = " + Math.max(1, unit.toSeconds()) + "s");
        writeMain();
        return this;
    }

    /** Any other main.cf parameter, e.g. {@code smtpd_client_connection_count_limit}. Applied on the next start. */
    public TestPostfix with(String parameter, String value) {
        extraMain.add(parameter + " = " + value);
        writeMain();
        return this;
    }

    /**
     * Requires STARTTLS ({@code smtpd_tls_security_level = encrypt}) with this PEM certificate and
     * key: MAIL before STARTTLS is refused with 530. Applied on the next start.
     */
    public TestPostfix requireTls(Path certPem, Path keyPem) {
        extraMain.add("smtpd_tls_cert_file = " + certPem.toAbsolutePath());
        extraMain.add("smtpd_tls_key_file = " + keyPem.toAbsolutePath());
        extraMain.add("smtpd_tls_security_level = encrypt");
        writeMain();
        return this;
    }

    /**
     * Requires SMTP AUTH (Cyrus SASL, mechanisms PLAIN and LOGIN, users in this instance's own
     * {@code sasldb2} made with {@code saslpasswd2}): a client that did not authenticate is refused
     * at RCPT with {@code 554 5.7.1}, wrong credentials get {@code 535 5.7.8}. Needs Debian's
     * {@code sasl2-bin}: without it the caller is skipped, or failed when {@code TESSERA_REQUIRE_SASL=1}.
     * Applied on the next start.
     */
    public TestPostfix requireAuth(String user, String password) {
        if (!Files.isExecutable(COMMANDS.resolve("saslpasswd2"))) {
            String why = "no " + COMMANDS.resolve("saslpasswd2") + " (apt-get install sasl2-bin)";
            if ("1".equals(System.getenv("TESSERA_REQUIRE_SASL"))) {
                Assertions.fail("Postfix SASL is required (TESSERA_REQUIRE_SASL=1) but " + why);
            }
            Assumptions.abort("Postfix AUTH tests skipped: " + why);
        }
        Path sasldb = dir.resolve("etc/sasldb2");
        Path conf = dir.resolve("etc/sasl");
        try {
            Process p = new ProcessBuilder(COMMANDS.resolve("saslpasswd2").toString(), "-p", "-c", "-f", sasldb.toString(),
                    "-u", REALM, user).redirectErrorStream(true).start();
            p.getOutputStream().write(password.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("saslpasswd2 failed: " + out);
            }
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            own(sasldb, users.lookupPrincipalByName("postfix"), null, "rw-------"); // smtpd reads it as postfix
            Files.createDirectories(conf);
            Files.writeString(conf.resolve("smtpd.conf"), String.join("\n", "pwcheck_method: auxprop",
                    "auxprop_plugin: sasldb", "mech_list: PLAIN LOGIN", "sasldb_path: " + sasldb, ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up SASL for the test Postfix", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        extraMain.add("smtpd_sasl_auth_enable = yes");
        extraMain.add("smtpd_sasl_type = cyrus");
        extraMain.add("smtpd_sasl_path = smtpd");
        extraMain.add("cyrus_sasl_config_path = " + conf);
        extraMain.add("smtpd_sasl_local_domain = " + REALM);
        extraMain.add("smtpd_sasl_security_options = noanonymous");
        requireAuth = true;
        writeMain();
        return this;
    }

    /**
     * Replaces the {@code check_recipient_access} map: address (or domain) to reply, e.g.
     * {@code "bad@x.test" -> "550 5.1.1 no such user"}, then {@code postmap} and, when running,
     * {@code postfix reload}, so the next session answers from the new map.
     */
    public TestPostfix recipientAccess(Map<String, String> replies) {
        String map = replies.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + "\n").collect(Collectors.joining());
        try {
            Files.writeString(dir.resolve("etc/access"), map);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(COMMANDS.resolve("postmap").toString(), "-c", etc(), "hash:" + dir.resolve("etc/access"));
        if (running()) {
            run(COMMANDS.resolve("postfix").toString(), "-c", etc(), "reload");
        }
        return this;
    }

    /** Starts the master in the foreground and waits until the port answers. */
    public synchronized TestPostfix start() {
        if (running()) {
            return this;
        }
        try {
            // setsid: the master leads its own process group, so on SIGTERM it takes its children
            // down with it (and does not die with "kill process group" + Postfix's 1 s fatal pause)
            master = new ProcessBuilder("setsid", DAEMONS.resolve("master").toString(), "-c", etc(), "-d")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("master.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Postfix's master", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new IllegalStateException("Postfix's master exited: " + log());
            }
            if (listening(port)) {
                return this;
            }
            pause(20);
        }
        throw new IllegalStateException("Postfix did not listen on " + port + " within 30 s: " + log());
    }

    /**
     * Whether a socket listens on the loopback port, read from the kernel's table rather than by
     * connecting: a probe connection would be a session Postfix counts (anvil), and a test of
     * connection limits would see it collide with the client's first session.
     */
    private static boolean listening(int port) {
        String local = String.format(":%04X ", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A")) {
                        return true;
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // no such table (no IPv6): the other one decides
            }
        }
        return false;
    }

    /** Stops the master (SIGTERM; its children follow) and waits for it: the relay is down. */
    public synchronized void stop() {
        if (master == null) {
            return;
        }
        master.destroy();
        try {
            if (!master.waitFor(20, TimeUnit.SECONDS)) {
                master.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        master = null;
    }

    /** SIGKILLs every smtpd this master runs, cutting their SMTP sessions wherever they are; returns how many. */
    public synchronized int killSmtpdProcesses() {
        if (master == null) {
            return 0;
        }
        List<ProcessHandle> smtpd = master.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/smtpd")).orElse(false)).toList();
        smtpd.forEach(ProcessHandle::destroyForcibly);
        return smtpd.size();
    }

    /** Waits until nothing is left in the queue (every accepted message delivered or bounced). */
    public void awaitQueueEmpty() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (queued() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(queued() + " messages still queued after 60 s: " + log());
            }
            pause(20);
        }
    }

    /** Every message delivered so far, after waiting for the queue to drain. */
    public List<Mail> received() {
        awaitQueueEmpty();
        Path inbox = dir.resolve("mail/all/new");
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            List<Mail> out = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                String to = text.lines().filter(l -> l.startsWith("Delivered-To: ")).findFirst()
                        .map(l -> l.substring("Delivered-To: ".length()).strip()).orElse("");
                out.add(new Mail(to, text));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many messages were delivered to {@code address}. */
    public long receivedFor(String address) {
        return received().stream().filter(m -> m.deliveredTo().equalsIgnoreCase(address)).count();
    }

    /** Postfix's own log of this instance, for failure messages. */
    public String log() {
        try {
            Path log = dir.resolve("maillog");
            return Files.exists(log) ? Files.readString(log) : "(no maillog)";
        } catch (IOException e) {
            return "(maillog unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        if (!dir.startsWith(Path.of("target").toAbsolutePath())) {
            delete(dir);
        }
    }

    private static void unavailable(String why) {
        if ("1".equals(System.getenv("TESSERA_REQUIRE_POSTFIX"))) {
            Assertions.fail("Postfix is required (TESSERA_REQUIRE_POSTFIX=1) but " + why);
        }
        Assumptions.abort("Postfix tests skipped: " + why);
    }

    private boolean running() {
        return master != null && master.isAlive();
    }

    private String etc() {
        return dir.resolve("etc").toString();
    }

    private long queued() {
        long n = 0;
        for (String q : List.of("incoming", "active", "maildrop")) {
            String[] files = dir.resolve("queue").resolve(q).toFile().list(); // flat queues; no stat of vanishing files
            n += files == null ? 0 : files.length;
        }
        return n;
    }

    private void layOut() throws IOException {
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        var postfix = users.lookupPrincipalByName("postfix");
        GroupPrincipal postdrop = users.lookupPrincipalByGroupName("postdrop");
        Files.createDirectories(dir.resolve("etc"));
        Path queue = Files.createDirectories(dir.resolve("queue"));
        for (String q : QUEUES) {
            own(Files.createDirectories(queue.resolve(q)), postfix, null, "rwx------");
        }
        own(Files.createDirectories(queue.resolve("public")), postfix, postdrop, "rwx--x---");
        own(Files.createDirectories(queue.resolve("maildrop")), postfix, postdrop, "rwx-wx---");
        Files.createDirectories(queue.resolve("pid"));
        own(Files.createDirectories(dir.resolve("data")), postfix, null, "rwx------");
        own(Files.createDirectories(dir.resolve("mail")), postfix, null, "rwx------");
        writeMain();
        Files.writeString(dir.resolve("etc/master.cf"), String.join("\n",
                "127.0.0.1:" + port + " inet n - n - - smtpd",
                "pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup", "qmgr unix n - n 300 1 qmgr",
                "rewrite unix - - n - - trivial-rewrite", "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce",
                "trace unix - - n - 0 bounce", "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush",
                "proxymap unix - - n - - proxymap", "showq unix n - n - - showq", "error unix - - n - - error",
                "retry unix - - n - - error", "discard unix - - n - - discard", "virtual unix - n n - - virtual",
                "anvil unix - - n - 1 anvil", "tlsmgr unix - - n 1000? 1 tlsmgr", "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd", ""));
        recipientAccess(Map.of());
    }

    private void writeMain() {
        List<String> main = new ArrayList<>(List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("queue"),
                "data_directory = " + dir.resolve("data"),
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = " + REALM,
                "mydomain = tessera.test",
                "mydestination =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "mynetworks = 127.0.0.0/8",
                "maillog_file = " + dir.resolve("maillog"),
                "maillog_file_prefixes = " + dir,
                "alias_maps =",
                "alias_database =",
                "smtpd_client_event_limit_exceptions =",
                "service_throttle_time = 1s", // an smtpd killed by a test is restarted at once, not after 60 s
                "smtpd_recipient_restrictions = check_recipient_access hash:" + dir.resolve("etc/access")
                        + (requireAuth ? ", permit_sasl_authenticated, reject" : ", permit"),
                "virtual_mailbox_domains = static:all",
                "virtual_mailbox_base = " + dir.resolve("mail"),
                "virtual_mailbox_maps = static:all/",
                "virtual_uid_maps = static:" + id("-u"),
                "virtual_gid_maps = static:" + id("-g")));
        main.addAll(extraMain);
        try {
            Files.writeString(dir.resolve("etc/main.cf"), String.join("\n", main) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void own(Path p, java.nio.file.attribute.UserPrincipal user, GroupPrincipal group, String mode)
            throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
        view.setOwner(user);
        if (group != null) {
            view.setGroup(group);
        }
        view.setPermissions(PosixFilePermissions.fromString(mode));
    }

    private static String missing() {
        if (!Files.isExecutable(DAEMONS.resolve("master")) || !Files.isExecutable(COMMANDS.resolve("postmap"))) {
            return "no Postfix binaries (" + DAEMONS + "/master, " + COMMANDS + "/postmap)";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "Postfix's master must be started as root and this JVM runs as " + System.getProperty("user.name");
        }
        if (run(false, "id", "postfix").isEmpty() || run(false, "getent", "group", "postdrop").isEmpty()) {
            return "no 'postfix' user or 'postdrop' group";
        }
        return "";
    }

    private static boolean reachableByOthers(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Path p = dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static String id(String which) {
        return run(true, "id", which, "postfix").strip();
    }

    private static String run(String... command) {
        return run(true, command);
    }

    /** Runs a command; its output, or empty when it failed and {@code strict} is false. */
    private static String run(boolean strict, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return out;
            }
            if (strict) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return "";
        } catch (IOException e) {
            if (strict) {
                throw new UncheckedIOException(e);
            }
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("test Postfix in " + dir + " not cleaned up: " + e.getMessage());
        }
    }
}

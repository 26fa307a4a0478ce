package io.tessera.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) on loopback, for tests:
 * the {@code org.apache.kafka:kafka_2.13} artifact from Maven, run as a separate JVM on the class
 * path module {@code testkit-kafka} resolved for it (a module whose tests start a broker has a test
 * dependency on that module). One broker per test JVM ({@link #shared()}),
 * stopped when the JVM exits; the broker also halts by itself when the test JVM dies, even by
 * {@code kill -9} ({@link KafkaBrokerProcess} watches its stdin).
 *
 * <p>Set {@code -Dtessera.kafka.bootstrap=host:port} to use a broker that is already running
 * instead (nothing is started then).
 *
 * <p>Start-up: {@code kafka.tools.StorageTool format} on a fresh directory, then
 * {@code kafka.Kafka server.properties}; the config keeps it small and quick (one partition per
 * internal topic, no initial rebalance delay). Ready when the broker answers on its port.
 *
 * <p>Thread-safe: {@link #shared()} is synchronized; the instance is immutable once started.
 */
public final class KafkaBroker {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String LOGBACK = "logback.xml";
    private static final String CLASS_PATH_RESOURCE = "/io/tessera/testkit/kafka-broker.classpath";
    /** The broker logs through the test class path's SLF4J provider, which must be Logback. */
    private static final String LOGBACK_XML = """
            <configuration>
              <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d %-5level %logger{30} %msg%n</pattern></encoder>
              </appender>
              <root level="WARN"><appender-ref ref="out"/></root>
              <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
            </configuration>
            """;
    private static KafkaBroker shared;
    private static RuntimeException failedToStart;

    private final String bootstrapServers;
    private final Path dir;
    private final Process process;

    private KafkaBroker(String bootstrapServers, Path dir, Process process) {
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.process = process;
    }

    /** The broker of this JVM, started on first use. */
    public static synchronized KafkaBroker shared() {
        if (failedToStart != null) {
            throw failedToStart;
        }
        if (shared == null) {
            String external = System.getProperty("tessera.kafka.bootstrap", "");
            try {
                shared = external.isBlank() ? start() : new KafkaBroker(external, Path.of(""), null);
            } catch (RuntimeException e) {
                failedToStart = e;
                throw e;
            }
        }
        return shared;
    }

    /** {@code host:port} for the clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The class path the broker runs from: this class's own location (for {@link KafkaBrokerProcess})
     * and the broker's dependencies as module {@code testkit-kafka} resolved them on their own.
     */
    static String classPath() {
        try (var in = KafkaBroker.class.getResourceAsStream(CLASS_PATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASS_PATH_RESOURCE + " is not on the class path: add a test dependency on "
                        + "io.tessera:tessera-testkit-kafka to the module whose tests start a broker");
            }
            String broker = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            String self = Path.of(KafkaBrokerProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            return self + java.io.File.pathSeparator + broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KafkaBroker start() {
        try {
            Path dir = Files.createTempDirectory("tessera-kafka");
            int[] ports = freePorts(2);
            int brokerPort = ports[0];
            int controllerPort = ports[1];
            Path config = dir.resolve("server.properties");
            Files.writeString(config, properties(dir.resolve("data"), brokerPort, controllerPort));
            Files.writeString(dir.resolve(LOGBACK), LOGBACK_XML);
            Path logFile = dir.resolve("broker.log");

            int formatted = java(List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", config.toString()), logFile)
                    .waitFor();
            if (formatted != 0) {
                throw new IllegalStateException("kafka-storage format failed (" + formatted + "): " + tail(logFile));
            }
            Process broker = java(List.of(KafkaBrokerProcess.class.getName(), config.toString()), logFile);
            KafkaBroker started = new KafkaBroker("127.0.0.1:" + brokerPort, dir, broker);
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "kafka-broker-stop"));
            started.awaitListening(brokerPort, logFile);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test Kafka broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the test Kafka broker", e);
        }
    }

    private static String properties(Path data, int brokerPort, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data.toAbsolutePath(),
                "num.partitions=1",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "num.network.threads=2",
                "num.io.threads=2",
                "background.threads=2",
                "");
    }

    private static Process java(List<String> mainAndArgs, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + logFile.resolveSibling(LOGBACK),
                "-cp", classPath()));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
    }

    private void awaitListening(int port, Path logFile) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the test Kafka broker exited (" + process.exitValue() + "): " + tail(logFile));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        stop();
        throw new IllegalStateException("the test Kafka broker did not listen within " + START_TIMEOUT + ": " + tail(logFile));
    }

    private void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp directory left behind is not worth failing the JVM's exit for
        }
    }

    /**
     * Distinct free loopback ports, all held open while they are chosen: one socket closed before
     * the next was opened let the system hand out the same port twice, and the broker refused a
     * listener and a controller on one port (a CI run, session 7).
     */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new java.util.ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /**
     * A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (as Kafka's Uuid), and,
     * as Kafka's {@code Uuid.randomUuid} does, never starting with '-': the storage tool's argument
     * parser takes such an id for an option ("argument --cluster-id/-t: expected one argument"),
     * which failed one CI run in 64.
     */
    static String clusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    private static String tail(Path logFile) {
        try {
            String text = Files.readString(logFile, StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }
}

package io.tessera.testkit;

import java.io.IOException;
import java.io.InputStream;

/**
 * The main class of the test broker's JVM ({@link KafkaBroker}): halts when its stdin closes (the
 * test JVM that started it is gone, however it died), then runs {@code kafka.Kafka} with the given
 * {@code server.properties}. Kafka is looked up by name because testkit does not depend on the
 * broker artifact; the module whose tests start a broker does.
 */
public final class KafkaBrokerProcess {
    private KafkaBrokerProcess() {}

    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the parent never writes; read() returns -1 once it has exited
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end of input
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
    }
}

package io.tessera.log.kafka;

import io.tessera.event.EventLog;
import io.tessera.testkit.EventLogContract;
import io.tessera.testkit.KafkaBroker;
import java.nio.file.Path;

/** The event log contract on a real Kafka broker; each test directory gets a topic of its own. */
class KafkaEventLogTest extends EventLogContract {
    @Override
    protected EventLog open(Path dir) {
        String topic = "events-" + Integer.toHexString(dir.toAbsolutePath().toString().hashCode());
        return new KafkaEventLog(KafkaLogSettings.of(KafkaBroker.shared().bootstrapServers()).withTopic(topic, 3));
    }
}

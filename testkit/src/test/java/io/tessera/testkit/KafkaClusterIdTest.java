package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The test broker's KRaft cluster id is one Kafka's storage tool accepts as an argument value. */
class KafkaClusterIdTest {
    @Test
    void clusterIdsAreSixteenBytesOfUrlSafeBase64AndNeverStartWithADash() {
        for (int i = 0; i < 5_000; i++) { // one random id in 64 starts with '-' before the fix
            String id = KafkaBroker.clusterId();
            assertThat(id).hasSize(22).doesNotStartWith("-");
            assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
        }
    }
}

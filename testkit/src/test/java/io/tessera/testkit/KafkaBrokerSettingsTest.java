package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What the test broker is started with is something Kafka accepts: its cluster id and its two ports. */
class KafkaBrokerSettingsTest {
    @Test
    void clusterIdsAreSixteenBytesOfUrlSafeBase64AndNeverStartWithADash() {
        for (int i = 0; i < 5_000; i++) { // one random id in 64 starts with '-' before the fix
            String id = KafkaBroker.clusterId();
            assertThat(id).hasSize(22).doesNotStartWith("-");
            assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
        }
    }

    @Test
    void theListenerAndControllerPortsAreDistinct() throws Exception {
        for (int i = 0; i < 200; i++) {
            int[] ports = KafkaBroker.freePorts(2);
            assertThat(ports[0]).isNotEqualTo(ports[1]);
        }
    }
}

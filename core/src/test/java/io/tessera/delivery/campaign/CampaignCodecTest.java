package io.tessera.delivery.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class CampaignCodecTest {

    static final String FULL = """
            {"name": "Autumn", "audience": {"segment": "browsers", "excluding": "buyers"},
             "template": {"key": "autumn", "version": 3}, "sender": {"address": "news@shop.example", "name": "Shop"},
             "schedule": {"type": "recurring", "first": "2026-11-02T09:00:00Z", "every": "P7D"},
             "localSendTime": "09:30", "throttle": {"perSecond": 200, "perDomainPerSecond": 20},
             "holdoutPercent": 10, "variants": [{"name": "A", "weight": 1}, {"name": "B", "weight": 1, "subject": "Hi {{firstName}}"}],
             "trigger": {"segment": "browse_abandoners", "delay": "PT2H"}, "frequencyCap": {"max": 3, "period": "P7D"},
             "quietHours": {"start": "21:00", "end": "08:00"}, "conversionDays": 5}""";

    @Test
    void parsesEveryFieldAndWritesItBackUnchanged() {
        Campaign c = ((CampaignCodec.Parsed.Valid) CampaignCodec.parse("autumn", FULL)).campaign();
        assertThat(c.audience().excluding()).contains("buyers");
        assertThat(c.template().version()).contains(3);
        assertThat(c.localSendTime()).contains(LocalTime.of(9, 30));
        assertThat(c.variants()).hasSize(2);
        assertThat(c.trigger()).get().extracting(Campaign.Trigger::delay).isEqualTo(Duration.ofHours(2));
        assertThat(c.schedule()).isInstanceOf(Campaign.Schedule.Recurring.class);
        Campaign again = ((CampaignCodec.Parsed.Valid) CampaignCodec.parse("autumn", CampaignCodec.toJson(c))).campaign();
        assertThat(again).isEqualTo(c);
    }

    @Test
    void reportsEveryProblemWithItsPointer() {
        CampaignCodec.Parsed p = CampaignCodec.parse("x", """
                {"audience": {}, "template": {"key": "t"}, "sender": {"address": "not-an-address"},
                 "holdoutPercent": 140, "localSendTime": "nine", "variants": [{"name": "holdout"}]}""");
        assertThat(p).isInstanceOfSatisfying(CampaignCodec.Parsed.Invalid.class, i -> assertThat(i.problems())
                .extracting(CampaignCodec.Problem::pointer)
                .containsExactlyInAnyOrder("/audience/segment", "/sender/address", "/holdoutPercent", "/localSendTime", "/variants/0/name"));
    }

    @Test
    void aTopicIsAKeyOrAnObjectWithOptInAndRoundTrips() {
        String base = "{\"audience\": {\"segment\": \"s\"}, \"template\": {\"key\": \"t\"}, \"sender\": {\"address\": \"a@b.example\"}, ";
        Campaign optOut = ((CampaignCodec.Parsed.Valid) CampaignCodec.parse("c", base + "\"topic\": \"news\"}")).campaign();
        Campaign optIn = ((CampaignCodec.Parsed.Valid) CampaignCodec.parse("c", base
                + "\"topic\": {\"key\": \"offers\", \"optIn\": true}}")).campaign();
        assertThat(optOut.topic()).contains(new Campaign.Topic("news", false));
        assertThat(optIn.topic()).contains(new Campaign.Topic("offers", true));
        assertThat(((CampaignCodec.Parsed.Valid) CampaignCodec.parse("c", CampaignCodec.toJson(optIn))).campaign()).isEqualTo(optIn);
        assertThat(CampaignCodec.parse("c", base + "\"topic\": {\"key\": \"a b\", \"optIn\": \"yes\"}}"))
                .isInstanceOfSatisfying(CampaignCodec.Parsed.Invalid.class, i -> assertThat(i.problems())
                        .extracting(CampaignCodec.Problem::pointer).containsExactlyInAnyOrder("/topic/key", "/topic/optIn"));
    }
}

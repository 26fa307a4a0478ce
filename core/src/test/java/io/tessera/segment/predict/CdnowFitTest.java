package io.tessera.segment.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reproduces the published BG/NBD and Gamma-Gamma parameters on the CDNOW sample (39-week calibration, weeks). */
class CdnowFitTest {
    static final Instant CALIBRATION_END = Instant.parse("1997-09-30T00:00:00Z");
    static List<CustomerSummary> summaries;

    @BeforeAll
    static void readCdnow() throws IOException {
        Path dir = Path.of(System.getProperty("tessera.shared.data", "../../shared/data"), "cdnow");
        DateTimeFormatter ymd = DateTimeFormatter.BASIC_ISO_DATE;
        List<Purchase> purchases = Files.readAllLines(dir.resolve("CDNOW_sample.txt")).stream()
                .map(String::trim).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+"))
                .map(f -> new Purchase(f[1], LocalDate.parse(f[2], ymd).atStartOfDay(ZoneOffset.UTC).toInstant(), Double.parseDouble(f[4])))
                .toList();
        summaries = PurchaseSummaries.summarize(purchases, CALIBRATION_END, Duration.ofDays(7));
    }

    @Test
    void summariesMatchThePublishedCalibrationSummary() throws IOException {
        Path dir = Path.of(System.getProperty("tessera.shared.data", "../../shared/data"), "cdnow");
        Map<String, CustomerSummary> ours = summaries.stream()
                .collect(Collectors.toMap(c -> String.valueOf(Integer.parseInt(c.customerId())), Function.identity()));
        List<String> rows = Files.readAllLines(dir.resolve("cdnow_customers_summary.csv"));
        assertThat(ours).hasSize(rows.size() - 1).hasSize(2357);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            CustomerSummary c = ours.get(f[0]);
            assertThat(c.frequency()).as("frequency of %s", f[0]).isEqualTo(Integer.parseInt(f[1]));
            assertThat(c.recency()).as("recency of %s", f[0]).isCloseTo(Double.parseDouble(f[2]), within(0.01));
            assertThat(c.age()).as("T of %s", f[0]).isCloseTo(Double.parseDouble(f[3]), within(0.01));
        }
    }

    @Test
    void bgNbdReproducesFaderHardieLee2005WithinOnePercent() {
        BgNbd m = BgNbd.fit(summaries);
        System.out.printf("BG/NBD on CDNOW: r=%.4f alpha=%.4f a=%.4f b=%.4f LL=%.2f%n", m.r(), m.alpha(), m.a(), m.b(), m.logLikelihood());
        assertThat(m.r()).isCloseTo(0.243, within(0.243 * 0.01));
        assertThat(m.alpha()).isCloseTo(4.414, within(4.414 * 0.01));
        assertThat(m.a()).isCloseTo(0.793, within(0.793 * 0.01));
        assertThat(m.b()).isCloseTo(2.426, within(2.426 * 0.01));
        assertThat(m.logLikelihood()).isCloseTo(-9582.4, within(1.0));
        // A customer who bought often and recently is likelier alive than one who stopped long ago.
        assertThat(m.probabilityAlive(5, 38, 39)).isGreaterThan(m.probabilityAlive(5, 5, 39));
        assertThat(m.probabilityAlive(0, 0, 39)).isEqualTo(1.0);
        assertThat(m.expectedPurchases(39, 2, 30.43, 38.86)).isBetween(0.5, 2.0);
    }

    @Test
    void gammaGammaReproducesThePublishedSpendParameters() {
        GammaGamma g = GammaGamma.fit(summaries);
        System.out.printf("Gamma-Gamma on CDNOW: p=%.4f q=%.4f gamma=%.4f LL=%.2f%n", g.p(), g.q(), g.gamma(), g.logLikelihood());
        assertThat(summaries.stream().filter(c -> c.frequency() > 0).count()).isEqualTo(946);
        assertThat(g.p()).isCloseTo(6.25, within(6.25 * 0.01));
        assertThat(g.q()).isCloseTo(3.74, within(3.74 * 0.01));
        assertThat(g.gamma()).isCloseTo(15.44, within(15.44 * 0.01));
    }
}

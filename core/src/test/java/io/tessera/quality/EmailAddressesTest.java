package io.tessera.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Agreement of the address rule with the public corpora in ../shared/data/email-addresses. */
class EmailAddressesTest {
    private static final Path DATA = Path.of(System.getProperty("tessera.shared.data", "../shared/data"), "email-addresses");
    private static final Set<String> ACCEPTABLE = Set.of("ISEMAIL_VALID_CATEGORY", "ISEMAIL_DNSWARN", "ISEMAIL_RFC5321");
    private final EmailAddresses emails = new EmailAddresses();

    @Test
    void lowerCasesTheDomainAndKeepsTheLocalPart() {
        assertThat(emails.check("Ann.Lee@Example.COM")).isEqualTo(FieldOutcome.Valid.of("Ann.Lee@example.com"));
        assertThat(emails.check("ann@@example.com")).isInstanceOf(FieldOutcome.Invalid.class);
    }

    @Test
    void warnsOnQuotedLocalPartsButRejectsComments() {
        assertThat(emails.check("\"ann lee\"@example.com")).isInstanceOfSatisfying(FieldOutcome.Valid.class,
                v -> assertThat(v.warnings()).extracting(FieldOutcome.Warning::code).containsExactly("unusual_email"));
        assertThat(emails.check("(comment)ann@example.com")).isInstanceOf(FieldOutcome.Invalid.class);
    }

    @Test
    void agreesWithIsEmailOnAtLeast95PercentOfAddresses() throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DATA.resolve("isemail-tests.xml").toFile());
        NodeList tests = doc.getElementsByTagName("test");
        int agree = 0;
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < tests.getLength(); i++) {
            Element t = (Element) tests.item(i);
            String address = controlCharacters(t.getElementsByTagName("address").item(0).getTextContent());
            String category = t.getElementsByTagName("category").item(0).getTextContent();
            boolean expected = ACCEPTABLE.contains(category);
            boolean actual = emails.check(address) instanceof FieldOutcome.Valid;
            if (expected == actual) {
                agree++;
            } else {
                disagreements.add(t.getAttribute("id") + " " + category + " " + address);
            }
        }
        double agreement = (double) agree / tests.getLength();
        System.out.printf("isemail agreement %d/%d = %.1f%%; disagreements: %s%n", agree, tests.getLength(), 100 * agreement, disagreements);
        assertThat(agreement).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void agreesWithTheJmailCorpusExceptForCommentsFoldingWhitespaceAndObsoleteQuoting() throws Exception {
        List<CsvRecords.Row> rows;
        try (Reader r = Files.newBufferedReader(DATA.resolve("jmail/results-derived.csv"))) {
            rows = CsvRecords.read(r);
        }
        int agree = 0;
        List<String> disagreements = new ArrayList<>();
        for (CsvRecords.Row row : rows.subList(1, rows.size())) {
            String address = row.cells().get(0).replace("<br/>", ""); // line breaks of the HTML the file was derived from
            boolean expected = row.cells().get(1).equals("Valid");
            boolean actual = emails.check(address) instanceof FieldOutcome.Valid;
            if (expected == actual) {
                agree++;
            } else {
                disagreements.add(address + " (" + row.cells().get(2) + ")");
            }
        }
        double agreement = (double) agree / (rows.size() - 1);
        System.out.printf("jmail corpus agreement %d/%d = %.1f%%; disagreements: %s%n", agree, rows.size() - 1, 100 * agreement, disagreements);
        // The corpus follows RFC 5322 header syntax; an address to send to may not carry comments,
        // folding whitespace or obsolete dot-separated quoted parts (isemail's CFWS and DEPREC, see
        // PROVENANCE.md): those are the 42 disagreements measured (319/361).
        assertThat(agreement).isGreaterThanOrEqualTo(0.88);
    }

    /** The corpus writes control character c as U+2400 + c. */
    private static String controlCharacters(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.chars().forEach(c -> b.append(c >= 0x2400 && c < 0x2420 ? (char) (c - 0x2400) : (char) c));
        return b.toString();
    }
}

package io.tessera.bench.dedupe;

import io.tessera.quality.CsvRecords;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of FEBRL-shaped person records with known duplicates, for the 100,000-record
 * dedupe benchmark. Values are drawn from the pools of the real FEBRL files (names, streets,
 * suburb/postcode/state triples); duplicates get one to three corruptions (typo, transposition,
 * deleted character, blanked field, changed date digit), as FEBRL's generator does. Ids follow
 * FEBRL ({@code rec-N-org}, {@code rec-N-dup-K}) so the same truth rule applies.
 */
final class PersonRecords {
    private static final String HEADER = "rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth,soc_sec_id";

    private final Random random;
    private final List<String> given = new ArrayList<>();
    private final List<String> surnames = new ArrayList<>();
    private final List<String> streets = new ArrayList<>();
    private final List<String> localities = new ArrayList<>();
    private final List<String[]> places = new ArrayList<>();

    PersonRecords(Path febrlDir, long seed) throws IOException {
        this.random = new Random(seed);
        var g = new LinkedHashSet<String>();
        var s = new LinkedHashSet<String>();
        var st = new LinkedHashSet<String>();
        var lo = new LinkedHashSet<String>();
        var pl = new LinkedHashSet<String>();
        for (String f : List.of("dataset1.csv", "dataset2.csv", "dataset3.csv", "dataset4a.csv")) {
            try (Reader r = Files.newBufferedReader(febrlDir.resolve(f))) {
                List<CsvRecords.Row> rows = CsvRecords.read(r);
                for (CsvRecords.Row row : rows.subList(1, rows.size())) {
                    List<String> c = row.cells().stream().map(String::strip).toList();
                    if (!c.get(0).endsWith("-org")) {
                        continue;
                    }
                    addIfPresent(g, c.get(1));
                    addIfPresent(s, c.get(2));
                    addIfPresent(st, c.get(4));
                    addIfPresent(lo, c.get(5));
                    if (!c.get(6).isEmpty() && !c.get(7).isEmpty() && !c.get(8).isEmpty()) {
                        pl.add(c.get(6) + "|" + c.get(7) + "|" + c.get(8));
                    }
                }
            }
        }
        given.addAll(g);
        surnames.addAll(s);
        streets.addAll(st);
        localities.addAll(lo);
        pl.forEach(p -> places.add(p.split("\\|")));
    }

    private static void addIfPresent(LinkedHashSet<String> pool, String v) {
        if (!v.isEmpty()) {
            pool.add(v);
        }
    }

    /** Writes {@code originals} originals and {@code duplicates} duplicates (up to 4 per original), shuffled. */
    void write(Path out, int originals, int duplicates) throws IOException {
        List<String[]> records = new ArrayList<>(originals + duplicates);
        List<String[]> orgs = new ArrayList<>(originals);
        for (int i = 0; i < originals; i++) {
            String[] place = pick(places);
            String[] r = {"rec-" + i + "-org", pick(given), pick(surnames), Integer.toString(1 + random.nextInt(999)),
                    pick(streets), random.nextInt(3) == 0 ? "" : pick(localities), place[0], place[1], place[2],
                    String.format(java.util.Locale.ROOT, "%04d%02d%02d", 1920 + random.nextInt(86), 1 + random.nextInt(12), 1 + random.nextInt(28)),
                    Integer.toString(1_000_000 + random.nextInt(9_000_000))};
            orgs.add(r);
            records.add(r);
        }
        int[] dupsOf = new int[originals];
        for (int d = 0; d < duplicates; d++) {
            int o;
            do {
                o = random.nextInt(originals);
            } while (dupsOf[o] >= 4);
            String[] r = orgs.get(o).clone();
            r[0] = "rec-" + o + "-dup-" + dupsOf[o]++;
            int corruptions = 1 + random.nextInt(3);
            for (int c = 0; c < corruptions; c++) {
                corrupt(r, 1 + random.nextInt(r.length - 1));
            }
            records.add(r);
        }
        java.util.Collections.shuffle(records, random);
        try (Writer w = Files.newBufferedWriter(out)) {
            w.write(HEADER + "\n");
            for (String[] r : records) {
                w.write(String.join(",", r) + "\n");
            }
        }
    }

    private void corrupt(String[] r, int field) {
        String v = r[field];
        int kind = random.nextInt(10);
        if (kind == 0 || v.length() < 2) {
            r[field] = "";
            return;
        }
        int at = random.nextInt(v.length() - 1);
        char letter = Character.isDigit(v.charAt(at)) ? (char) ('0' + random.nextInt(10)) : (char) ('a' + random.nextInt(26));
        r[field] = switch (kind % 4) {
            case 0 -> v.substring(0, at) + v.charAt(at + 1) + v.charAt(at) + v.substring(at + 2);
            case 1 -> v.substring(0, at) + v.substring(at + 1);
            case 2 -> v.substring(0, at) + letter + v.substring(at);
            default -> v.substring(0, at) + letter + v.substring(at + 1);
        };
    }

    private <T> T pick(List<T> pool) {
        return pool.get(random.nextInt(pool.size()));
    }
}

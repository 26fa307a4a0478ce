package io.tessera.bench.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * 100 segments of mixed kinds, each written twice: as a Tessera CEL condition and as the SQL
 * query a scheduled system would re-run over an events table to get the same members.
 */
final class BenchSegments {
    record Spec(String key, String cel, String sql) {}

    private static final String[] WINDOWS = {"10s", "30s", "1h", "48h", "168h"};
    private static final long[] WINDOW_SECONDS = {10, 30, 3600, 48 * 3600, 168 * 3600};

    private BenchSegments() {}

    /** {@code ?} in the SQL is "now" in epoch milliseconds. */
    static List<Spec> mixed(int count, long seed) {
        Random r = new Random(seed);
        List<Spec> out = new ArrayList<>();
        List<String> names = SyntheticProfiles.NAMES;
        for (int i = 0; i < count; i++) {
            String e1 = names.get(r.nextInt(names.size()));
            String e2 = names.get(r.nextInt(names.size()));
            int w = r.nextInt(WINDOWS.length);
            String win = WINDOWS[w];
            long ms = WINDOW_SECONDS[w] * 1000;
            String cat = SyntheticProfiles.CATEGORIES.get(r.nextInt(4));
            int amount = 50 + r.nextInt(100);
            String key = "s" + i;
            out.add(switch (i % 5) {
                case 0 -> new Spec(key, "count(\"%s\", duration(\"%s\")) > 0".formatted(e1, win),
                        "SELECT DISTINCT profile_id FROM events WHERE name = '%s' AND ts > ? - %d".formatted(e1, ms));
                case 1 -> new Spec(key, "count(\"%s\", duration(\"%s\")) > 0 && count(\"%s\", duration(\"%s\")) == 0".formatted(e1, win, e2, win),
                        ("SELECT profile_id FROM events WHERE ts > ? - %d GROUP BY profile_id "
                                + "HAVING SUM(name = '%s') > 0 AND SUM(name = '%s') = 0").formatted(ms, e1, e2));
                case 2 -> new Spec(key, "sum(\"%s\", \"revenue\", duration(\"%s\")) > %d.0".formatted(e1, win, amount),
                        "SELECT profile_id FROM events WHERE name = '%s' AND ts > ? - %d GROUP BY profile_id HAVING SUM(revenue) > %d"
                                .formatted(e1, ms, amount));
                case 3 -> new Spec(key, "count(\"%s\", {\"category\": \"%s\"}) >= 2".formatted(e1, cat),
                        "SELECT profile_id FROM events WHERE name = '%s' AND category = '%s' AND ? > 0 GROUP BY profile_id HAVING COUNT(*) >= 2"
                                .formatted(e1, cat));
                default -> new Spec(key, "traits.plan == \"pro\" && count(\"%s\") > 0".formatted(e1),
                        "SELECT DISTINCT e.profile_id FROM events e JOIN profiles p ON p.profile_id = e.profile_id "
                                + "WHERE p.plan = 'pro' AND e.name = '%s' AND ? > 0".formatted(e1));
            });
        }
        return out;
    }
}

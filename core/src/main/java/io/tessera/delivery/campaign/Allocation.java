package io.tessera.delivery.campaign;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic assignment of a profile to the holdout or to one variant of a campaign: the
 * same (campaign, profile) always lands in the same arm, on every node and after restarts, and
 * arms get their share of the audience (within sampling error). Holdout and variant draws use
 * independent hashes, so changing the holdout share does not reshuffle the variants.
 */
public final class Allocation {

    /** The arm name of the control group in the ledger and in stats. */
    public static final String HOLDOUT = "holdout";

    private Allocation() {
    }

    /** {@link #HOLDOUT} or the name of the variant this profile gets. */
    public static String arm(Campaign campaign, String profileId) {
        double unit = unitInterval(campaign.key() + "\u0000holdout\u0000" + profileId);
        if (unit * 100.0 < campaign.holdoutPercent()) {
            return HOLDOUT;
        }
        int total = campaign.variants().stream().mapToInt(Campaign.Variant::weight).sum();
        double pick = unitInterval(campaign.key() + "\u0000variant\u0000" + profileId) * total;
        int acc = 0;
        for (Campaign.Variant v : campaign.variants()) {
            acc += v.weight();
            if (pick < acc) {
                return v.name();
            }
        }
        return campaign.variants().getLast().name();
    }

    /** A uniform value in [0, 1) from FNV-1a 64 over UTF-8, finished with a SplitMix64 mixer. */
    static double unitInterval(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= (h >>> 30);
        h *= 0xbf58476d1ce4e5b9L;
        h ^= (h >>> 27);
        h *= 0x94d049bb133111ebL;
        h ^= (h >>> 31);
        return (h >>> 11) * 0x1.0p-53;
    }
}

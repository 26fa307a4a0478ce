package io.tessera.segment.rfm;

/**
 * The usual named RFM groups, by recency and frequency score (the widely used R×F grid):
 * Champions 5[4-5], Loyal [3-4][4-5], Potential Loyalists [4-5][2-3], New Customers 51,
 * Promising 41, Need Attention 33, About To Sleep 3[1-2], At Risk [1-2][3-4],
 * Can't Lose Them [1-2]5, Hibernating [1-2][1-2].
 */
public enum RfmGroup {
    CHAMPIONS("Champions"), LOYAL("Loyal"), POTENTIAL_LOYALISTS("Potential Loyalists"), NEW_CUSTOMERS("New Customers"),
    PROMISING("Promising"), NEED_ATTENTION("Need Attention"), ABOUT_TO_SLEEP("About To Sleep"), AT_RISK("At Risk"),
    CANT_LOSE_THEM("Can't Lose Them"), HIBERNATING("Hibernating");

    private final String label;

    RfmGroup(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static RfmGroup of(int r, int f) {
        if (r <= 2) {
            return f <= 2 ? HIBERNATING : f == 5 ? CANT_LOSE_THEM : AT_RISK;
        }
        if (r == 3) {
            return f <= 2 ? ABOUT_TO_SLEEP : f == 3 ? NEED_ATTENTION : LOYAL;
        }
        if (f == 1) {
            return r == 5 ? NEW_CUSTOMERS : PROMISING;
        }
        if (f <= 3) {
            return POTENTIAL_LOYALISTS;
        }
        return r == 5 ? CHAMPIONS : LOYAL;
    }
}

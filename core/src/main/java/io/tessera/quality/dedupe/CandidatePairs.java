package io.tessera.quality.dedupe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocking: the distinct record pairs that share at least one {@link BlockingKey} value, as
 * sorted {@code long}s ({@code a << 32 | b}, {@code a < b}). Blocks larger than the cap are
 * skipped (reported in {@link #skippedBlocks}) so a common value cannot make the run quadratic;
 * the other keys still reach those pairs.
 */
final class CandidatePairs {
    final long[] pairs;
    final int skippedBlocks;

    private CandidatePairs(long[] pairs, int skippedBlocks) {
        this.pairs = pairs;
        this.skippedBlocks = skippedBlocks;
    }

    static CandidatePairs of(List<BlockingKey> keys, Map<String, ComparedField> fields, int size, int maxBlock) {
        long[] out = new long[1024];
        int n = 0;
        int skipped = 0;
        for (BlockingKey key : keys) {
            Map<String, List<Integer>> blocks = new HashMap<>();
            StringBuilder value = new StringBuilder();
            rows:
            for (int r = 0; r < size; r++) {
                value.setLength(0);
                for (BlockingKey.Part part : key.parts()) {
                    ComparedField f = fields.get(part.column());
                    if (f == null) {
                        throw new IllegalArgumentException("blocking key " + key + " names an unknown or ignored column " + part.column());
                    }
                    String v = part.transform().apply(f.values[r]);
                    if (v.isEmpty()) {
                        continue rows;
                    }
                    value.append(v).append('\u001f');
                }
                blocks.computeIfAbsent(value.toString(), k -> new ArrayList<>(2)).add(r);
            }
            for (List<Integer> block : blocks.values()) {
                if (block.size() < 2) {
                    continue;
                }
                if (block.size() > maxBlock) {
                    skipped++;
                    continue;
                }
                int need = n + block.size() * (block.size() - 1) / 2;
                if (need > out.length) {
                    out = Arrays.copyOf(out, Math.max(need, out.length * 2));
                }
                for (int i = 0; i < block.size(); i++) {
                    long a = block.get(i);
                    for (int j = i + 1; j < block.size(); j++) {
                        out[n++] = a << 32 | block.get(j);
                    }
                }
            }
        }
        long[] all = Arrays.copyOf(out, n);
        Arrays.parallelSort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[distinct++] = all[i];
            }
        }
        return new CandidatePairs(Arrays.copyOf(all, distinct), skipped);
    }
}

package io.tessera.content.liquid.compiled;

import java.util.AbstractList;
import java.util.List;

/** A Liquid range value {@code (a..b)}, inclusive; empty when {@code end < start}. */
public record LiquidRange(long start, long end) {

    public long size() {
        return Math.max(0, end - start + 1);
    }

    /** A view of the range as a list, without materialising it. */
    public List<Object> toList() {
        int n = (int) Math.min(Integer.MAX_VALUE, size());
        return new AbstractList<>() {
            @Override
            public Object get(int i) {
                if (i < 0 || i >= n) {
                    throw new IndexOutOfBoundsException(i);
                }
                return start + i;
            }

            @Override
            public int size() {
                return n;
            }
        };
    }
}

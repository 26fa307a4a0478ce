package io.tessera.content.liquid.compiled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of one render: the caller's data (read-only), assigned variables, local scopes of
 * loops and includes, counters of {@code increment}/{@code decrement}, cycle positions,
 * {@code offset: continue} positions and a pending {@code break}/{@code continue}. Created per
 * render and confined to the rendering thread; the template tree itself holds no render state.
 */
public final class RenderContext {

    static final int NONE = 0;
    static final int BREAK = 1;
    static final int CONTINUE = 2;

    private static final int MAX_STEPS = 1_000_000;
    private static final int MAX_DEPTH = 16;

    final CompiledLiquid engine;
    private final Map<String, Object> globals;
    private final Map<String, Object> assigns = new HashMap<>();
    private final ArrayList<Map<String, Object>> scopes = new ArrayList<>(4);
    private final Shared shared;
    private Map<String, Object> counters;
    final boolean isolated;
    int interrupt = NONE;
    LoopNodes.ForLoop currentLoop;

    /** State shared between a render and the isolated renders of its {@code render} tags. */
    private static final class Shared {
        long steps;
        int depth;
        Map<Object, Integer> cycles;
        Map<String, Integer> offsets;
        String ifchanged;
    }

    RenderContext(CompiledLiquid engine, Map<String, Object> globals) {
        this(engine, globals, new Shared(), false);
    }

    private RenderContext(CompiledLiquid engine, Map<String, Object> globals, Shared shared, boolean isolated) {
        this.engine = engine;
        this.globals = globals;
        this.shared = shared;
        this.isolated = isolated;
    }

    /** A context for {@code render}: sees only what is passed in, shares limits and registers. */
    RenderContext isolated() {
        if (shared.depth >= MAX_DEPTH) {
            throw LiquidError.render("render nested deeper than " + MAX_DEPTH);
        }
        return new RenderContext(engine, Map.of(), shared, true);
    }

    void enter() {
        if (++shared.depth > MAX_DEPTH) {
            throw LiquidError.render("include/render nested deeper than " + MAX_DEPTH);
        }
    }

    void leave() {
        shared.depth--;
    }

    /** Resolves a top-level variable: local scopes, then assigns, counters and the caller's data. */
    public Object get(String name) {
        for (int k = scopes.size() - 1; k >= 0; k--) {
            Map<String, Object> s = scopes.get(k);
            Object v = s.get(name);
            if (v != null || s.containsKey(name)) {
                return v;
            }
        }
        Object v = assigns.get(name);
        if (v != null || assigns.containsKey(name)) {
            return v;
        }
        if (counters != null) {
            v = counters.get(name);
            if (v != null) {
                return v;
            }
        }
        return globals.get(name);
    }

    /** {@code assign}/{@code capture}: the outermost scope, visible after loops and includes. */
    void assign(String name, Object value) {
        assigns.put(name, value);
    }

    Map<String, Object> push() {
        Map<String, Object> s = new HashMap<>(8);
        scopes.add(s);
        return s;
    }

    void pop() {
        scopes.remove(scopes.size() - 1);
    }

    /** Sets a variable in the innermost local scope (or assigns when there is none). */
    void setLocal(String name, Object value) {
        if (scopes.isEmpty()) {
            assigns.put(name, value);
        } else {
            scopes.get(scopes.size() - 1).put(name, value);
        }
    }

    long counter(String name, int delta) {
        if (counters == null) {
            counters = new HashMap<>();
        }
        Object cur = counters.get(name);
        if (cur == null) {
            Object g = globals.get(name);
            cur = g instanceof Number n && Values.isInteger(n) ? n.longValue() : 0L;
        }
        long before = (Long) cur;
        counters.put(name, before + delta);
        return delta < 0 ? before + delta : before;
    }

    int cycle(Object key, int size) {
        if (shared.cycles == null) {
            shared.cycles = new HashMap<>();
        }
        int at = shared.cycles.getOrDefault(key, 0);
        int next = at + 1 >= size ? 0 : at + 1;
        shared.cycles.put(key, next);
        return at;
    }

    int offset(String key) {
        return shared.offsets == null ? 0 : shared.offsets.getOrDefault(key, 0);
    }

    void offset(String key, int value) {
        if (shared.offsets == null) {
            shared.offsets = new HashMap<>();
        }
        shared.offsets.put(key, value);
    }

    boolean ifchanged(String rendered) {
        boolean changed = !rendered.equals(shared.ifchanged);
        shared.ifchanged = rendered;
        return changed;
    }

    void step() {
        if (++shared.steps > MAX_STEPS) {
            throw LiquidError.render("loop limit of " + MAX_STEPS + " iterations exceeded");
        }
    }
}

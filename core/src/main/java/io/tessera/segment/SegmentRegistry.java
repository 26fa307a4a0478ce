package io.tessera.segment;

import io.tessera.profile.ProfileStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Segment definitions as the API sees them: save (compile, version, activate, backfill), delete,
 * list, versions, and the progress of backfills. Saving is serialized ({@code synchronized});
 * reads are lock-free.
 */
public final class SegmentRegistry {
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_\\-]{0,63}");

    private final SegmentDefinitionStore definitions;
    private final MembershipStore memberships;
    private final SegmentEngine engine;
    private final ProfileStore profiles;
    private final InstantSource clock;
    private final Executor backfills;
    private final SegmentCompiler compiler = new SegmentCompiler();
    private final Map<String, Backfill> running = new ConcurrentHashMap<>();
    /** In a cluster: each partition's owner backfills it, instead of this node backfilling every profile. */
    private volatile Optional<PartitionBackfills> byPartition = Optional.empty();

    public SegmentRegistry(SegmentDefinitionStore definitions, MembershipStore memberships, SegmentEngine engine,
                           ProfileStore profiles, InstantSource clock, Executor backfills) {
        this.definitions = definitions;
        this.memberships = memberships;
        this.engine = engine;
        this.profiles = profiles;
        this.clock = clock;
        this.backfills = backfills;
    }

    /**
     * In a cluster: a saved version is backfilled by each partition's owner ({@link PartitionBackfills}),
     * which also takes over when this node's catalog changes. Call before the first save.
     */
    public void backfillByPartition(PartitionBackfills backfills) {
        this.byPartition = Optional.of(backfills);
    }

    /** Activates the stored definitions (at start-up). Memberships and timers are already durable. */
    public synchronized void start() {
        List<SegmentDefinition> pending = new ArrayList<>(definitions.active());
        SegmentCatalog catalog = SegmentCatalog.EMPTY;
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                SegmentDefinition d = it.next();
                if (compiler.compile(d) instanceof CompileVerdict.Compiled c) {
                    var next = catalog.with(c.segment());
                    if (next.catalog().isPresent()) {
                        catalog = next.catalog().get();
                        it.remove();
                        progress = true;
                    }
                } else {
                    it.remove();
                }
            }
        }
        engine.setCatalog(catalog);
    }

    /**
     * Re-reads the stored definitions and, when they differ from the active ones (another node
     * saved or deleted a segment), activates them as {@link #start} does. The node that saved has
     * run the backfill; here only the catalog changes. Returns whether it did.
     */
    public synchronized boolean refresh() {
        Map<String, Integer> stored = new java.util.HashMap<>();
        definitions.active().forEach(d -> stored.put(d.key(), d.version()));
        Map<String, Integer> active = new java.util.HashMap<>();
        engine.catalog().ordered().forEach(c -> active.put(c.definition().key(), c.definition().version()));
        if (stored.equals(active)) {
            return false;
        }
        start();
        byPartition.ifPresent(PartitionBackfills::resume);
        return true;
    }

    /** Compiles and stores a new version; on success activates it and starts its backfill. */
    public synchronized SaveVerdict save(String key, String name, String condition) {
        if (!KEY.matcher(key).matches()) {
            return new SaveVerdict.Rejected("invalid_key", "a segment key is 1-64 of a-z, 0-9, _ and -, starting with a letter or digit", 0, 0);
        }
        int version = definitions.versions(key).size() + 1;
        SegmentDefinition d = new SegmentDefinition(key, name.isBlank() ? key : name, condition, version, clock.instant());
        CompileVerdict verdict = compiler.compile(d);
        if (verdict instanceof CompileVerdict.Invalid bad) {
            return new SaveVerdict.Rejected(bad.code(), bad.message(), bad.line(), bad.column());
        }
        CompiledSegment compiled = ((CompileVerdict.Compiled) verdict).segment();
        SegmentCatalog.Result next = engine.catalog().with(compiled);
        if (next.catalog().isEmpty()) {
            return new SaveVerdict.Rejected("invalid_condition", next.error().orElse("rejected"), 1, 1);
        }
        byPartition.ifPresent(b -> b.open(key, version)); // before the definition is announced
        definitions.save(d);
        engine.setCatalog(next.catalog().get());
        if (byPartition.isPresent()) {
            PartitionBackfills b = byPartition.get();
            b.resume();
            return new SaveVerdict.Saved(d, b.progress(key).orElseThrow());
        }
        Backfill backfill = new Backfill(key, version, profiles, engine);
        Optional.ofNullable(running.put(key, backfill)).ifPresent(Backfill::cancel);
        backfills.execute(backfill);
        return new SaveVerdict.Saved(d, backfill.progress());
    }

    /** Deletes a segment; refused (with the reason) while another segment reads it. */
    public synchronized Optional<String> delete(String key) {
        SegmentCatalog.Result next = engine.catalog().without(key);
        if (next.catalog().isEmpty()) {
            return next.error();
        }
        Optional.ofNullable(running.remove(key)).ifPresent(Backfill::cancel);
        engine.setCatalog(next.catalog().get());
        definitions.delete(key);
        // Changes of the segment still being written behind the engine would outlive the removal.
        engine.awaitWritten();
        memberships.removeSegment(key);
        return Optional.empty();
    }

    public Optional<SegmentDefinition> get(String key) {
        return engine.catalog().get(key).map(CompiledSegment::definition);
    }

    public List<SegmentDefinition> list() {
        return engine.catalog().ordered().stream().map(CompiledSegment::definition)
                .sorted(java.util.Comparator.comparing(SegmentDefinition::key)).toList();
    }

    public List<SegmentDefinition> versions(String key) {
        return definitions.versions(key);
    }

    public Optional<Backfill.Progress> backfill(String key) {
        return byPartition.isPresent() ? byPartition.get().progress(key)
                : Optional.ofNullable(running.get(key)).map(Backfill::progress);
    }
}

package io.tessera.segment;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelMutableAst;
import dev.cel.common.ast.CelMutableExpr;
import dev.cel.optimizer.AstMutator;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles segment conditions written in CEL into {@link CompiledSegment}s, and finds the
 * behavioural aggregates each one needs so the evaluator keeps state for only those.
 *
 * <p>The language is standard CEL plus: {@code count}, {@code sum}, {@code first}, {@code last},
 * {@code in_segment}, {@code days}, and the variables {@code traits}, {@code identities},
 * {@code rfm}, {@code predicted} (docs/SEGMENTS.md is the reference). Arguments that name an
 * aggregate (event name, property, window, filter) must be literals so the aggregate is known
 * before any event arrives. Immutable and thread-safe.
 */
public final class SegmentCompiler {
    static final Set<String> AGGREGATE_FUNCTIONS = Set.of("count", "sum", "first", "last");
    private static final CelType FILTER = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final CelType S = SimpleType.STRING;
    private static final CelType D = SimpleType.DURATION;

    private final CelCompiler compiler;
    private final CelRuntime runtime;

    public SegmentCompiler() {
        this.compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options())
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("traits", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addVar("identities", MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING)))
                .addVar("rfm", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addVar("predicted", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addFunctionDeclarations(declarations())
                .build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(options())
                .addFunctionBindings(CelFunctionBinding.from("days_int", Long.class, n -> Duration.ofDays(n)))
                .build();
    }

    private static CelOptions options() {
        return CelOptions.current().evaluateCanonicalTypesToNativeValues(true).build();
    }

    private static List<CelFunctionDecl> declarations() {
        CelType i = SimpleType.INT;
        CelType dbl = SimpleType.DOUBLE;
        CelType ts = SimpleType.TIMESTAMP;
        return List.of(
                CelFunctionDecl.newFunctionDeclaration("count",
                        CelOverloadDecl.newGlobalOverload("count_s", i, S),
                        CelOverloadDecl.newGlobalOverload("count_s_d", i, S, D),
                        CelOverloadDecl.newGlobalOverload("count_s_m", i, S, FILTER),
                        CelOverloadDecl.newGlobalOverload("count_s_d_m", i, S, D, FILTER)),
                CelFunctionDecl.newFunctionDeclaration("sum",
                        CelOverloadDecl.newGlobalOverload("sum_s_s", dbl, S, S),
                        CelOverloadDecl.newGlobalOverload("sum_s_s_d", dbl, S, S, D),
                        CelOverloadDecl.newGlobalOverload("sum_s_s_m", dbl, S, S, FILTER),
                        CelOverloadDecl.newGlobalOverload("sum_s_s_d_m", dbl, S, S, D, FILTER)),
                CelFunctionDecl.newFunctionDeclaration("first",
                        CelOverloadDecl.newGlobalOverload("first_s", ts, S),
                        CelOverloadDecl.newGlobalOverload("first_s_m", ts, S, FILTER)),
                CelFunctionDecl.newFunctionDeclaration("last",
                        CelOverloadDecl.newGlobalOverload("last_s", ts, S),
                        CelOverloadDecl.newGlobalOverload("last_s_m", ts, S, FILTER)),
                CelFunctionDecl.newFunctionDeclaration("in_segment",
                        CelOverloadDecl.newGlobalOverload("in_segment_s", SimpleType.BOOL, S)),
                CelFunctionDecl.newFunctionDeclaration("days",
                        CelOverloadDecl.newGlobalOverload("days_int", D, i)));
    }

    /** Compiles one version of a segment. Never throws for a bad condition: see {@link CompileVerdict.Invalid}. */
    public CompileVerdict compile(SegmentDefinition definition) {
        if (definition.condition().isBlank()) {
            return new CompileVerdict.Invalid("invalid_condition", "the condition is empty", 1, 1);
        }
        CelValidationResult result = compiler.compile(definition.condition(), definition.key());
        if (result.hasError()) {
            CelIssue first = result.getErrors().get(0);
            return new CompileVerdict.Invalid("invalid_condition", first.getMessage(),
                    Math.max(1, first.getSourceLocation().getLine()), first.getSourceLocation().getColumn() + 1);
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            throw new IllegalStateException("CEL reported no error but gave no AST", e);
        }
        if (!ast.getResultType().equals(SimpleType.BOOL)) {
            return new CompileVerdict.Invalid("invalid_condition",
                    "a condition must be true or false, but this one gives " + ast.getResultType().name(), 1, 1);
        }
        Extraction x = new Extraction(ast);
        x.walk(ast.getExpr());
        if (x.error != null) {
            return x.error;
        }
        try {
            FastForm fast = fastForm(ast, x);
            return new CompileVerdict.Compiled(new CompiledSegment(definition, ast, runtime.createProgram(ast),
                    runtime.createProgram(fast.ast()), JavaCondition.of(fast.ast(), fast.slots()), fast.slots(), x.aggregates, x.segments, x.variables));
        } catch (CelEvaluationException | CelValidationException e) {
            throw new IllegalStateException("a checked condition failed to plan: " + definition.condition(), e);
        }
    }

    /** The rewritten AST and, per {@code __N} variable, the aggregate or segment key it stands for. */
    private record FastForm(CelAbstractSyntaxTree ast, List<Object> slots) {}

    /**
     * Rewrites every aggregate call and {@code in_segment} call into a variable {@code __N}, so the
     * evaluator supplies precomputed values through a variable resolver instead of dispatching
     * late-bound functions and re-parsing duration literals on every evaluation (the first
     * benchmark spent most of its time there).
     */
    private FastForm fastForm(CelAbstractSyntaxTree ast, Extraction x) throws CelValidationException {
        // The mutator renumbers expressions, so each round finds the next call afresh.
        CelMutableAst mutable = CelMutableAst.fromCelAst(ast);
        AstMutator mutator = AstMutator.newInstance(10_000);
        var builder = compiler.toCompilerBuilder();
        List<Object> slots = new ArrayList<>();
        while (true) {
            CelAbstractSyntaxTree current = mutable.toParsedAst();
            Optional<CelExpr> call = firstCall(current.getExpr());
            if (call.isEmpty()) {
                break;
            }
            String name = "__" + slots.size();
            CelExpr c = call.get();
            if (c.call().function().equals("in_segment")) {
                slots.add(c.call().args().get(0).constant().stringValue());
                builder.addVar(name, SimpleType.BOOL);
            } else {
                Extraction e = new Extraction(current);
                e.aggregate(c);
                Aggregate a = e.aggregates.values().iterator().next();
                slots.add(a);
                builder.addVar(name, switch (a.kind()) {
                    case COUNT -> SimpleType.INT;
                    case SUM -> SimpleType.DOUBLE;
                    case FIRST, LAST -> SimpleType.TIMESTAMP;
                });
            }
            mutable = mutator.replaceSubtree(mutable, CelMutableExpr.ofIdent(name), c.id());
        }
        CelValidationResult checked = builder.build().check(mutable.toParsedAst());
        return new FastForm(checked.getAst(), slots);
    }

    private static Optional<CelExpr> firstCall(CelExpr e) {
        List<CelExpr> children = new ArrayList<>();
        switch (e.getKind()) {
            case CALL -> {
                String fn = e.call().function();
                if (AGGREGATE_FUNCTIONS.contains(fn) || fn.equals("in_segment")) {
                    return Optional.of(e);
                }
                e.call().target().ifPresent(children::add);
                children.addAll(e.call().args());
            }
            case SELECT -> children.add(e.select().operand());
            case LIST -> children.addAll(e.list().elements());
            case MAP -> e.map().entries().forEach(en -> { children.add(en.key()); children.add(en.value()); });
            case STRUCT -> e.struct().entries().forEach(en -> children.add(en.value()));
            case COMPREHENSION -> {
                var c = e.comprehension();
                children.addAll(List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result()));
            }
            default -> { }
        }
        for (CelExpr child : children) {
            Optional<CelExpr> found = firstCall(child);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Walks the checked AST collecting aggregates, referenced segments and variables. */
    private static final class Extraction {
        private final CelAbstractSyntaxTree ast;
        final Map<Long, Aggregate> aggregates = new LinkedHashMap<>();
        final Set<String> segments = new LinkedHashSet<>();
        final Map<Long, String> segmentCalls = new LinkedHashMap<>();
        final Set<String> variables = new LinkedHashSet<>();
        CompileVerdict.Invalid error;

        Extraction(CelAbstractSyntaxTree ast) {
            this.ast = ast;
        }

        void walk(CelExpr e) {
            if (error != null) {
                return;
            }
            switch (e.getKind()) {
                case IDENT -> variables.add(e.ident().name());
                case SELECT -> walk(e.select().operand());
                case CALL -> {
                    String fn = e.call().function();
                    if (AGGREGATE_FUNCTIONS.contains(fn)) {
                        aggregate(e);
                    } else if (fn.equals("in_segment")) {
                        literalString(e.call().args().get(0), "a segment key").ifPresent(k -> {
                            segments.add(k);
                            segmentCalls.put(e.id(), k);
                        });
                    }
                    e.call().target().ifPresent(this::walk);
                    e.call().args().forEach(this::walk);
                }
                case LIST -> e.list().elements().forEach(this::walk);
                case MAP -> e.map().entries().forEach(en -> { walk(en.key()); walk(en.value()); });
                case STRUCT -> e.struct().entries().forEach(f -> walk(f.value()));
                case COMPREHENSION -> {
                    var c = e.comprehension();
                    walk(c.iterRange());
                    walk(c.accuInit());
                    walk(c.loopCondition());
                    walk(c.loopStep());
                    walk(c.result());
                }
                default -> { }
            }
        }

        void aggregate(CelExpr call) {
            String fn = call.call().function();
            List<CelExpr> args = call.call().args();
            Optional<String> event = literalString(args.get(0), "an event name");
            int next = 1;
            String property = "";
            if (fn.equals("sum")) {
                property = literalString(args.get(1), "a property name").orElse("");
                next = 2;
            }
            Optional<Duration> window = Optional.empty();
            Map<String, Object> filter = Map.of();
            for (int i = next; i < args.size() && error == null; i++) {
                CelExpr a = args.get(i);
                if (a.getKind() == CelExpr.ExprKind.Kind.MAP) {
                    filter = literalMap(a);
                } else {
                    window = literalDuration(a);
                }
            }
            if (error != null || event.isEmpty()) {
                return;
            }
            Aggregate.Kind kind = Aggregate.Kind.valueOf(fn.toUpperCase(java.util.Locale.ROOT));
            aggregates.put(call.id(), Aggregate.canonical(new Aggregate(kind, event.get(), property, window, filter)));
        }

        private Optional<String> literalString(CelExpr e, String what) {
            if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                return Optional.of(e.constant().stringValue());
            }
            fail(e, what + " must be a literal string, like \"Order Completed\"");
            return Optional.empty();
        }

        private Optional<Duration> literalDuration(CelExpr e) {
            Optional<Duration> d = Optional.empty();
            if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().args().size() == 1) {
                CelExpr arg = e.call().args().get(0);
                boolean constant = arg.getKind() == CelExpr.ExprKind.Kind.CONSTANT;
                if (constant && e.call().function().equals("duration") && arg.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                    d = DurationText.parse(arg.constant().stringValue());
                    if (d.isEmpty()) {
                        fail(arg, "not a duration: \"" + arg.constant().stringValue() + "\" (use h, m, s, like \"48h\"; or days(7))");
                        return d;
                    }
                } else if (constant && e.call().function().equals("days") && arg.constant().getKind() == CelConstant.Kind.INT64_VALUE) {
                    d = Optional.of(Duration.ofDays(arg.constant().int64Value()));
                }
            }
            if (d.isEmpty()) {
                fail(e, "a window must be a literal, like duration(\"48h\") or days(7)");
            } else if (d.get().isNegative() || d.get().isZero()) {
                fail(e, "a window must be longer than zero");
                return Optional.empty();
            }
            return d;
        }

        private Map<String, Object> literalMap(CelExpr e) {
            if (e.getKind() != CelExpr.ExprKind.Kind.MAP) {
                fail(e, "a filter must be a literal map, like {\"category\": \"shoes\"}");
                return Map.of();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (var en : e.map().entries()) {
                Optional<String> key = literalString(en.key(), "a filter key");
                CelExpr v = en.value();
                if (key.isEmpty()) {
                    return Map.of();
                }
                if (v.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
                    fail(v, "a filter value must be a literal string, number or bool");
                    return Map.of();
                }
                CelConstant c = v.constant();
                Object value = switch (c.getKind()) {
                    case STRING_VALUE -> c.stringValue();
                    case INT64_VALUE -> c.int64Value();
                    case DOUBLE_VALUE -> c.doubleValue();
                    case BOOLEAN_VALUE -> c.booleanValue();
                    default -> null;
                };
                if (value == null) {
                    fail(v, "a filter value must be a literal string, number or bool");
                    return Map.of();
                }
                out.put(key.get(), value);
            }
            return out;
        }

        private void fail(CelExpr at, String message) {
            if (error != null) {
                return;
            }
            int offset = ast.getSource().getPositionsMap().getOrDefault(at.id(), 0);
            var loc = ast.getSource().getOffsetLocation(offset);
            error = new CompileVerdict.Invalid("invalid_condition", message,
                    loc.map(l -> l.getLine()).orElse(1), loc.map(l -> l.getColumn() + 1).orElse(offset + 1));
        }
    }

    /** For explanations: every function this language adds, so they can be told from CEL's own. */
    static List<String> functionNames() {
        List<String> names = new ArrayList<>(AGGREGATE_FUNCTIONS);
        names.add("in_segment");
        return names;
    }
}

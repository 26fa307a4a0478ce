package io.tessera.segment;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A segment version ready to run: its CEL program and what the program reads (aggregates, other
 * segments, profile variables). Immutable and thread-safe.
 */
public final class CompiledSegment {
    private final SegmentDefinition definition;
    private final CelAbstractSyntaxTree ast;
    private final CelRuntime.Program program;
    private final CelRuntime.Program fast;
    private final Optional<JavaCondition> java;
    private final Object[] slots;
    private final Map<Long, Aggregate> aggregatesByExpr;
    private final Set<Aggregate> aggregates;
    private final Set<String> dependsOn;
    private final Set<String> variables;
    private final boolean timeDependent;
    /** The key's number for membership bit sets ({@link SegmentBits}). */
    private final int bit;

    CompiledSegment(SegmentDefinition definition, CelAbstractSyntaxTree ast, CelRuntime.Program program,
                    CelRuntime.Program fast, Optional<JavaCondition> java, List<Object> slots,
                    Map<Long, Aggregate> aggregatesByExpr, Set<String> dependsOn, Set<String> variables) {
        this.definition = definition;
        this.ast = ast;
        this.program = program;
        this.fast = fast;
        this.java = java;
        this.slots = slots.toArray();
        this.aggregatesByExpr = Map.copyOf(aggregatesByExpr);
        this.aggregates = Set.copyOf(aggregatesByExpr.values());
        this.dependsOn = Set.copyOf(dependsOn);
        this.variables = Set.copyOf(variables);
        this.timeDependent = this.aggregates.stream().anyMatch(Aggregate::windowed);
        this.bit = SegmentBits.of(definition.key());
    }

    /** The key's number in membership bit sets. */
    int bit() {
        return bit;
    }

    public SegmentDefinition definition() {
        return definition;
    }

    public String key() {
        return definition.key();
    }

    /** The aggregates this condition reads; the evaluator keeps state for exactly these. */
    public Set<Aggregate> aggregates() {
        return aggregates;
    }

    /** Keys of the segments this condition reads through {@code in_segment}. */
    public Set<String> dependsOn() {
        return dependsOn;
    }

    /** Whether the condition reads {@code traits} or {@code identities}. */
    public boolean readsProfile() {
        return variables.contains("traits") || variables.contains("identities");
    }

    /** Whether the condition reads {@code rfm} or {@code predicted} scores. */
    public boolean readsScores() {
        return variables.contains("rfm") || variables.contains("predicted");
    }

    /** Whether membership can change just because time passes (it reads a windowed aggregate). */
    public boolean timeDependent() {
        return timeDependent;
    }

    /**
     * Evaluates for one profile. An evaluation error (a missing trait, a type mismatch) means "not a
     * member". The Java form answers when it can (see {@link JavaCondition}); CEL otherwise.
     */
    public Evaluation evaluate(SegmentInput input) {
        int answer = javaAnswer(input);
        if (answer != JavaCondition.UNKNOWN) {
            return answer == JavaCondition.TRUE ? MEMBER : NOT_MEMBER;
        }
        return evaluateCel(input);
    }

    /** The Java form's answer: {@link JavaCondition#TRUE}, FALSE, or UNKNOWN (also when there is no Java form). */
    int javaAnswer(SegmentInput input) {
        return java.isPresent() ? java.get().test(input) : JavaCondition.UNKNOWN;
    }

    /** Whether the condition has a Java form at all. */
    boolean compiledToJava() {
        return java.isPresent();
    }

    /** The evaluation by the CEL interpreter over the fast form, without the Java form. */
    Evaluation evaluateCel(SegmentInput input) {
        try {
            return new Evaluation(Boolean.TRUE.equals(fast.eval(name -> variable(name, input))), Optional.empty());
        } catch (CelEvaluationException e) {
            return new Evaluation(false, Optional.of(e.getMessage()));
        }
    }

    /** The same evaluation through the late-bound functions (the explain path); used to check the fast form. */
    Evaluation evaluateSlowly(SegmentInput input) {
        try {
            return new Evaluation(Boolean.TRUE.equals(program.eval(input.variables(), ConditionFunctions.resolver(input))), Optional.empty());
        } catch (CelEvaluationException e) {
            return new Evaluation(false, Optional.of(e.getMessage()));
        }
    }

    private Optional<Object> variable(String name, SegmentInput in) {
        if (name.startsWith("__")) {
            Object slot = slots[Integer.parseInt(name, 2, name.length(), 10)];
            return Optional.of(slot instanceof Aggregate a ? in.aggregates().apply(a) : (Object) in.member().test((String) slot));
        }
        return Optional.ofNullable(switch (name) {
            case "traits" -> in.traits();
            case "identities" -> in.identities();
            case "rfm" -> in.rfm();
            case "predicted" -> in.predicted();
            default -> null;
        });
    }

    /** The value of every sub-expression for one profile, in evaluation order, and the result. */
    public Explanation explain(SegmentInput input) {
        Map<Long, Object> values = new LinkedHashMap<>();
        Evaluation result;
        try {
            Object r = program.trace(input.variables(), ConditionFunctions.resolver(input), (expr, value) -> values.put(expr.id(), value));
            result = new Evaluation(Boolean.TRUE.equals(r), Optional.empty());
        } catch (CelEvaluationException e) {
            result = new Evaluation(false, Optional.of(e.getMessage()));
        }
        List<Explanation.Step> steps = new ArrayList<>();
        collect(ast.getExpr(), values, steps);
        return new Explanation(key(), definition.version(), definition.condition(), result.member(), result.error(), steps);
    }

    private void collect(CelExpr e, Map<Long, Object> values, List<Explanation.Step> out) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
            e.call().target().ifPresent(t -> collect(t, values, out));
            for (CelExpr a : e.call().args()) {
                collect(a, values, out);
            }
        }
        boolean interesting = e.getKind() == CelExpr.ExprKind.Kind.CALL || e.getKind() == CelExpr.ExprKind.Kind.SELECT;
        if (interesting && values.containsKey(e.id()) && !isLiteralWindow(e)) {
            out.add(new Explanation.Step(ConditionText.of(e), Explanation.display(values.get(e.id()))));
        } else if (interesting && !values.containsKey(e.id()) && !isLiteralWindow(e)) {
            out.add(new Explanation.Step(ConditionText.of(e), "(not evaluated)"));
        }
    }

    private static boolean isLiteralWindow(CelExpr e) {
        return e.getKind() == CelExpr.ExprKind.Kind.CALL
                && (e.call().function().equals("duration") || e.call().function().equals("days"))
                && e.call().args().stream().allMatch(a -> a.getKind() == CelExpr.ExprKind.Kind.CONSTANT);
    }

    Collection<Aggregate> aggregatesByExpression() {
        return aggregatesByExpr.values();
    }

    /** The outcome of one evaluation. */
    public record Evaluation(boolean member, Optional<String> error) {}

    private static final Evaluation MEMBER = new Evaluation(true, Optional.empty());
    private static final Evaluation NOT_MEMBER = new Evaluation(false, Optional.empty());
}

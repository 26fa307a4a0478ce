package io.tessera.segment;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The common shapes of a condition compiled to plain Java, so the live path does not interpret
 * CEL: comparisons of aggregates, {@code traits}/{@code rfm}/{@code predicted} fields and literals,
 * {@code has(traits.x)}, {@code in_segment}, and {@code &&}, {@code ||}, {@code !} over them.
 * It runs over the fast form of a condition (aggregate and {@code in_segment} calls already replaced
 * by {@code __N} slots). A condition with any other construct has no Java form ({@link #of} is
 * empty). At run time a result is {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN}: UNKNOWN
 * whenever CEL could answer differently from Java (a missing map key, which is a CEL error; values
 * of types the node does not compare natively), and the caller then asks CEL. So a Java answer is
 * always CEL's answer; {@code JavaConditionTest} checks that on random inputs for every shape.
 * Immutable and thread-safe.
 */
final class JavaCondition {
    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int UNKNOWN = -1;
    private static final Object NO = new Object();

    /** One compiled sub-expression: its value, or {@link #NO} when only CEL can tell. */
    private interface Node {
        Object eval(SegmentInput in);
    }

    private final Node root;

    private JavaCondition(Node root) {
        this.root = root;
    }

    /** The Java form of a checked fast-form AST, or empty when it uses a construct not handled here. */
    static Optional<JavaCondition> of(CelAbstractSyntaxTree fast, List<Object> slots) {
        Node n = node(fast.getExpr(), slots);
        return n == null ? Optional.empty() : Optional.of(new JavaCondition(n));
    }

    int test(SegmentInput in) {
        Object v = root.eval(in);
        if (v instanceof Boolean b) {
            return b ? TRUE : FALSE;
        }
        return UNKNOWN;
    }

    /** The node for an expression, or null when the shape is not handled (the condition stays CEL). */
    private static Node node(CelExpr e, List<Object> slots) {
        return switch (e.getKind()) {
            case CONSTANT -> constant(e.constant());
            case IDENT -> ident(e.ident().name(), slots);
            case SELECT -> select(e, slots);
            case CALL -> call(e, slots);
            default -> null;
        };
    }

    private static Node constant(CelConstant c) {
        Object v = switch (c.getKind()) {
            case INT64_VALUE -> c.int64Value();
            case DOUBLE_VALUE -> c.doubleValue();
            case STRING_VALUE -> c.stringValue();
            case BOOLEAN_VALUE -> c.booleanValue();
            default -> null;
        };
        return v == null ? null : in -> v;
    }

    private static Node ident(String name, List<Object> slots) {
        if (!name.startsWith("__")) {
            return null;
        }
        Object slot = slots.get(Integer.parseInt(name, 2, name.length(), 10));
        if (slot instanceof Aggregate a) {
            return in -> in.aggregates().apply(a);
        }
        String key = (String) slot;
        return in -> in.member().test(key);
    }

    private static Node select(CelExpr e, List<Object> slots) {
        CelExpr operand = e.select().operand();
        if (operand.getKind() != CelExpr.ExprKind.Kind.IDENT) {
            return null;
        }
        String field = e.select().field();
        java.util.function.Function<SegmentInput, Map<String, Object>> map = switch (operand.ident().name()) {
            case "traits" -> SegmentInput::traits;
            case "rfm" -> SegmentInput::rfm;
            case "predicted" -> SegmentInput::predicted;
            default -> null;
        };
        if (map == null) {
            return null;
        }
        if (e.select().testOnly()) {
            return in -> map.apply(in).containsKey(field);
        }
        return in -> {
            Object v = map.apply(in).get(field);
            return v == null ? NO : v;
        };
    }

    private static Node call(CelExpr e, List<Object> slots) {
        if (e.call().target().isPresent()) {
            return null;
        }
        List<Node> args = new ArrayList<>();
        for (CelExpr a : e.call().args()) {
            Node n = node(a, slots);
            if (n == null) {
                return null;
            }
            args.add(n);
        }
        return switch (e.call().function()) {
            case "_&&_" -> logical(args, false);
            case "_||_" -> logical(args, true);
            case "!_" -> not(args.get(0));
            case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_" -> compare(e.call().function(), args.get(0), args.get(1));
            default -> null;
        };
    }

    /** CEL's commutative && / ||: a decisive operand (false for &&, true for ||) wins over errors. */
    private static Node logical(List<Node> args, boolean or) {
        Node[] ops = args.toArray(Node[]::new);
        Boolean decisive = or;
        return in -> {
            boolean unknown = false;
            for (Node n : ops) {
                Object v = n.eval(in);
                if (decisive.equals(v)) {
                    return decisive;
                }
                if (!(v instanceof Boolean)) {
                    unknown = true;
                }
            }
            return unknown ? NO : !decisive;
        };
    }

    private static Node not(Node arg) {
        return in -> arg.eval(in) instanceof Boolean b ? !b : NO;
    }

    private static Node compare(String op, Node left, Node right) {
        boolean equality = op.equals("_==_") || op.equals("_!=_");
        return in -> {
            Object a = left.eval(in);
            Object b = right.eval(in);
            int c;
            if (a instanceof Long x && b instanceof Long y) {
                c = Long.compare(x, y);
            } else if (a instanceof Double x && b instanceof Double y) {
                return compareDoubles(op, x, y);
            } else if (a instanceof Instant x && b instanceof Instant y) {
                c = x.compareTo(y);
            } else if (equality && (a instanceof String && b instanceof String || a instanceof Boolean && b instanceof Boolean)) {
                c = a.equals(b) ? 0 : 1;
            } else {
                return NO;
            }
            return switch (op) {
                case "_==_" -> c == 0;
                case "_!=_" -> c != 0;
                case "_<_" -> c < 0;
                case "_<=_" -> c <= 0;
                case "_>_" -> c > 0;
                default -> c >= 0;
            };
        };
    }

    /** IEEE comparison, as CEL does it (every comparison with NaN is false, except !=). */
    private static Object compareDoubles(String op, double x, double y) {
        return switch (op) {
            case "_==_" -> x == y;
            case "_!=_" -> x != y;
            case "_<_" -> x < y;
            case "_<=_" -> x <= y;
            case "_>_" -> x > y;
            default -> x >= y;
        };
    }
}

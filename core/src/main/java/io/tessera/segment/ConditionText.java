package io.tessera.segment;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns a condition's sub-expression back into readable CEL text, for explanations. */
final class ConditionText {
    private static final Map<String, String> BINARY = Map.ofEntries(
            Map.entry("_&&_", "&&"), Map.entry("_||_", "||"), Map.entry("_==_", "=="), Map.entry("_!=_", "!="),
            Map.entry("_<_", "<"), Map.entry("_<=_", "<="), Map.entry("_>_", ">"), Map.entry("_>=_", ">="),
            Map.entry("_+_", "+"), Map.entry("_-_", "-"), Map.entry("_*_", "*"), Map.entry("_/_", "/"),
            Map.entry("_%_", "%"), Map.entry("@in", "in"));

    private ConditionText() {}

    static String of(CelExpr e) {
        return switch (e.getKind()) {
            case CONSTANT -> constant(e.constant());
            case IDENT -> e.ident().name();
            case SELECT -> e.select().testOnly()
                    ? "has(" + of(e.select().operand()) + "." + e.select().field() + ")"
                    : of(e.select().operand()) + "." + e.select().field();
            case CALL -> call(e);
            case LIST -> e.list().elements().stream().map(ConditionText::of).collect(Collectors.joining(", ", "[", "]"));
            case MAP -> e.map().entries().stream().map(en -> of(en.key()) + ": " + of(en.value()))
                    .collect(Collectors.joining(", ", "{", "}"));
            default -> "…";
        };
    }

    private static String call(CelExpr e) {
        var c = e.call();
        String fn = c.function();
        if (BINARY.containsKey(fn) && c.args().size() == 2) {
            return operand(c.args().get(0)) + " " + BINARY.get(fn) + " " + operand(c.args().get(1));
        }
        if (fn.equals("!_")) {
            return "!" + operand(c.args().get(0));
        }
        if (fn.equals("-_")) {
            return "-" + operand(c.args().get(0));
        }
        if (fn.equals("_[_]")) {
            return of(c.args().get(0)) + "[" + of(c.args().get(1)) + "]";
        }
        if (fn.equals("_?_:_")) {
            return operand(c.args().get(0)) + " ? " + operand(c.args().get(1)) + " : " + operand(c.args().get(2));
        }
        String args = c.args().stream().map(ConditionText::of).collect(Collectors.joining(", "));
        return c.target().map(t -> of(t) + "." + fn + "(" + args + ")").orElse(fn + "(" + args + ")");
    }

    private static String operand(CelExpr e) {
        String s = of(e);
        boolean compound = e.getKind() == CelExpr.ExprKind.Kind.CALL && (BINARY.containsKey(e.call().function())
                || e.call().function().equals("_?_:_"));
        return compound ? "(" + s + ")" : s;
    }

    private static String constant(CelConstant c) {
        return switch (c.getKind()) {
            case STRING_VALUE -> '"' + c.stringValue() + '"';
            case INT64_VALUE -> Long.toString(c.int64Value());
            case DOUBLE_VALUE -> Double.toString(c.doubleValue());
            case BOOLEAN_VALUE -> Boolean.toString(c.booleanValue());
            case NULL_VALUE -> "null";
            default -> c.toString();
        };
    }
}

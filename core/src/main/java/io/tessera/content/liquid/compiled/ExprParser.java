package io.tessera.content.liquid.compiled;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the markup of outputs and tags into {@link Expr} trees: primaries (literals, paths,
 * ranges), filter chains (bound to their functions here, arity checked) and conditions
 * ({@code == != <> < > <= >= contains}, {@code and}/{@code or} right-associative, as in Ruby).
 * Strict: anything left over is a syntax error. One instance per markup string.
 */
final class ExprParser {

    enum T { IDENT, STRING, INT, FLOAT, DOT, DOTDOT, LBRACKET, RBRACKET, LPAREN, RPAREN, PIPE, COLON, COMMA, OP, ASSIGN, EOF }

    record Tok(T type, String text) {}

    private final List<Tok> toks;
    private final FilterSet filters;
    private final int line;
    private int i;

    ExprParser(String markup, FilterSet filters, int line) {
        this.filters = filters;
        this.line = line;
        this.toks = lex(markup, line);
    }

    // ---- lexing ----

    private static List<Tok> lex(String s, int line) {
        List<Tok> out = new ArrayList<>();
        int k = 0;
        int n = s.length();
        while (k < n) {
            char c = s.charAt(k);
            if (Character.isWhitespace(c)) {
                k++;
            } else if (c == '\'' || c == '"') {
                int end = s.indexOf(c, k + 1);
                if (end < 0) {
                    throw Lexer.syntax(line, "unterminated string in '" + s + "'");
                }
                out.add(new Tok(T.STRING, s.substring(k + 1, end)));
                k = end + 1;
            } else if (Character.isDigit(c) || (c == '-' && k + 1 < n && Character.isDigit(s.charAt(k + 1)))) {
                int e = k + 1;
                while (e < n && Character.isDigit(s.charAt(e))) {
                    e++;
                }
                boolean isFloat = false;
                if (e + 1 < n && s.charAt(e) == '.' && Character.isDigit(s.charAt(e + 1))) {
                    isFloat = true;
                    e++;
                    while (e < n && Character.isDigit(s.charAt(e))) {
                        e++;
                    }
                }
                if (e < n && (Character.isLetter(s.charAt(e)) || s.charAt(e) == '_') && !isFloat) {
                    // digits then letters: an identifier such as 1st (kept as a name)
                    int f = e;
                    while (f < n && isIdentChar(s.charAt(f))) {
                        f++;
                    }
                    out.add(new Tok(T.IDENT, s.substring(k, f)));
                    k = f;
                    continue;
                }
                out.add(new Tok(isFloat ? T.FLOAT : T.INT, s.substring(k, e)));
                k = e;
            } else if (Character.isLetter(c) || c == '_') {
                int e = k + 1;
                while (e < n && isIdentChar(s.charAt(e))) {
                    e++;
                }
                if (e < n && s.charAt(e) == '?') {
                    e++;
                }
                out.add(new Tok(T.IDENT, s.substring(k, e)));
                k = e;
            } else if (c == '.') {
                if (k + 1 < n && s.charAt(k + 1) == '.') {
                    out.add(new Tok(T.DOTDOT, ".."));
                    k += 2;
                } else {
                    out.add(new Tok(T.DOT, "."));
                    k++;
                }
            } else if (c == '=' || c == '!' || c == '<' || c == '>') {
                String two = k + 1 < n ? s.substring(k, k + 2) : "";
                if (two.equals("==") || two.equals("!=") || two.equals("<>") || two.equals("<=") || two.equals(">=")) {
                    out.add(new Tok(T.OP, two));
                    k += 2;
                } else if (c == '<' || c == '>') {
                    out.add(new Tok(T.OP, String.valueOf(c)));
                    k++;
                } else if (c == '=') {
                    out.add(new Tok(T.ASSIGN, "="));
                    k++;
                } else {
                    throw Lexer.syntax(line, "unexpected '" + c + "' in '" + s + "'");
                }
            } else {
                T t = switch (c) {
                    case '[' -> T.LBRACKET;
                    case ']' -> T.RBRACKET;
                    case '(' -> T.LPAREN;
                    case ')' -> T.RPAREN;
                    case '|' -> T.PIPE;
                    case ':' -> T.COLON;
                    case ',' -> T.COMMA;
                    default -> throw Lexer.syntax(line, "unexpected '" + c + "' in '" + s + "'");
                };
                out.add(new Tok(t, String.valueOf(c)));
                k++;
            }
        }
        out.add(new Tok(T.EOF, ""));
        return out;
    }

    private static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }

    // ---- cursor ----

    Tok peek() {
        return toks.get(i);
    }

    Tok peek(int ahead) {
        return toks.get(Math.min(i + ahead, toks.size() - 1));
    }

    Tok next() {
        return toks.get(i++);
    }

    boolean at(T t) {
        return peek().type() == t;
    }

    boolean atWord(String w) {
        return peek().type() == T.IDENT && peek().text().equals(w);
    }

    boolean accept(T t) {
        if (at(t)) {
            i++;
            return true;
        }
        return false;
    }

    Tok expect(T t) {
        if (!at(t)) {
            throw error("expected " + t + " but found '" + peek().text() + "'");
        }
        return next();
    }

    int position() {
        return i;
    }

    String textBetween(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int k = from; k < to; k++) {
            b.append(toks.get(k).type() == T.STRING ? "'" + toks.get(k).text() + "'" : toks.get(k).text());
        }
        return b.toString();
    }

    boolean atEnd() {
        return at(T.EOF);
    }

    void expectEnd() {
        if (!atEnd()) {
            throw error("unexpected '" + peek().text() + "'");
        }
    }

    LiquidError error(String message) {
        return Lexer.syntax(line, message);
    }

    // ---- grammar ----

    /** An output or assignment value: a primary followed by filters. */
    Expr filtered() {
        Expr e = primary();
        List<Expr.FilterCall> calls = new ArrayList<>();
        while (accept(T.PIPE)) {
            calls.add(filter());
        }
        return calls.isEmpty() ? e : new Expr.Filtered(e, calls.toArray(new Expr.FilterCall[0]));
    }

    private Expr.FilterCall filter() {
        String name = expect(T.IDENT).text();
        FilterSet.Def def = filters.get(name);
        if (def == null) {
            throw new LiquidError("unknown_filter", "line " + line + ": unknown filter '" + name + "'");
        }
        List<Expr> args = new ArrayList<>();
        List<String> kwNames = new ArrayList<>();
        List<Expr> kwValues = new ArrayList<>();
        if (accept(T.COLON)) {
            do {
                if (at(T.IDENT) && peek(1).type() == T.COLON) {
                    kwNames.add(next().text());
                    next();
                    kwValues.add(primary());
                } else {
                    args.add(primary());
                }
            } while (accept(T.COMMA));
        }
        if (args.size() < def.minArgs() || args.size() > def.maxArgs()) {
            String want = def.minArgs() == def.maxArgs() ? String.valueOf(def.minArgs()) : def.minArgs() + "–" + def.maxArgs();
            throw new LiquidError("filter_arguments", "line " + line + ": filter " + name + " takes " + want
                    + " argument(s), got " + args.size());
        }
        return new Expr.FilterCall(name, def.fn(), args.toArray(new Expr[0]), kwNames.toArray(new String[0]),
                kwValues.toArray(new Expr[0]));
    }

    /** A literal, a range or a variable path. */
    Expr primary() {
        Tok t = next();
        switch (t.type()) {
            case STRING:
                return new Expr.Literal(t.text());
            case INT:
                try {
                    return new Expr.Literal(Long.parseLong(t.text()));
                } catch (NumberFormatException tooBig) {
                    return new Expr.Literal(Double.parseDouble(t.text()));
                }
            case FLOAT:
                return new Expr.Literal(Double.parseDouble(t.text()));
            case LPAREN: {
                Expr start = primary();
                expect(T.DOTDOT);
                Expr end = primary();
                expect(T.RPAREN);
                return new Expr.Range(start, end);
            }
            case LBRACKET: {
                Expr key = primary();
                expect(T.RBRACKET);
                Expr root = key instanceof Expr.Literal l && l.value() instanceof String s ? new Expr.Var(s) : new Expr.DynamicVar(key);
                return path(root);
            }
            case IDENT: {
                boolean hasPath = at(T.DOT) || at(T.LBRACKET);
                if (!hasPath) {
                    switch (t.text()) {
                        case "true": return new Expr.Literal(Boolean.TRUE);
                        case "false": return new Expr.Literal(Boolean.FALSE);
                        case "nil", "null": return new Expr.Literal(null);
                        case "empty": return new Expr.Literal(Values.Special.EMPTY);
                        case "blank": return new Expr.Literal(Values.Special.BLANK);
                        default: break;
                    }
                }
                return path(new Expr.Var(t.text()));
            }
            default:
                throw error("unexpected '" + t.text() + "'");
        }
    }

    private Expr path(Expr root) {
        List<Object> keys = new ArrayList<>();
        while (true) {
            if (accept(T.DOT)) {
                Tok k = next();
                if (k.type() != T.IDENT) {
                    throw error("expected a property name after '.', found '" + k.text() + "'");
                }
                keys.add(k.text());
            } else if (accept(T.LBRACKET)) {
                Expr k = primary();
                expect(T.RBRACKET);
                keys.add(k instanceof Expr.Literal l && l.value() != null && !(l.value() instanceof Values.Special) ? l.value() : k);
            } else {
                break;
            }
        }
        return keys.isEmpty() ? root : new Expr.Path(root, keys.toArray());
    }

    /** A condition of if/unless/elsif: comparisons joined by and/or, folded right to left. */
    Expr condition() {
        List<Expr> operands = new ArrayList<>();
        List<String> ops = new ArrayList<>();
        operands.add(comparison());
        while (atWord("and") || atWord("or")) {
            ops.add(next().text());
            operands.add(comparison());
        }
        Expr e = operands.get(operands.size() - 1);
        for (int k = ops.size() - 1; k >= 0; k--) {
            e = ops.get(k).equals("and") ? new Expr.And(operands.get(k), e) : new Expr.Or(operands.get(k), e);
        }
        return e;
    }

    private Expr comparison() {
        Expr left = primary();
        Expr.Op op;
        if (at(T.OP)) {
            op = switch (next().text()) {
                case "==" -> Expr.Op.EQ;
                case "!=", "<>" -> Expr.Op.NE;
                case "<" -> Expr.Op.LT;
                case ">" -> Expr.Op.GT;
                case "<=" -> Expr.Op.LE;
                default -> Expr.Op.GE;
            };
        } else if (atWord("contains")) {
            next();
            op = Expr.Op.CONTAINS;
        } else {
            return left;
        }
        return new Expr.Compare(op, left, primary());
    }
}

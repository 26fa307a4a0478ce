package io.tessera.content.liquid.compiled;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the node tree from the lexer's tokens: block tags with their branches, the markup of
 * each tag through {@link ExprParser}. Strict: an unknown tag, an unclosed block or a stray
 * end tag is an error with its line. One instance per source.
 */
final class TemplateParser {

    private final List<Lexer.Token> tokens;
    private final FilterSet filters;
    private int i;
    private Lexer.Token stop;

    private TemplateParser(List<Lexer.Token> tokens, FilterSet filters) {
        this.tokens = tokens;
        this.filters = filters;
    }

    static Nodes.Block parse(String source, FilterSet filters) {
        TemplateParser p = new TemplateParser(Lexer.tokenize(source), filters);
        return p.block(Set.of(), "");
    }

    /** Nodes up to one of the closing tags (kept in {@link #stop}); an empty set means up to the end. */
    private Nodes.Block block(Set<String> until, String opener) {
        List<Nodes.Node> nodes = new ArrayList<>();
        while (i < tokens.size()) {
            Lexer.Token t = tokens.get(i++);
            switch (t.kind()) {
                case TEXT -> {
                    if (!t.markup().isEmpty()) {
                        nodes.add(new Nodes.Text(t.markup()));
                    }
                }
                case NOOP -> { }
                case OUTPUT -> {
                    if (!t.markup().isEmpty()) {
                        ExprParser p = expr(t);
                        Expr e = p.filtered();
                        p.expectEnd();
                        nodes.add(new Nodes.Output(e));
                    } else {
                        nodes.add(new Nodes.Output(new Expr.Literal(null)));
                    }
                }
                case TAG -> {
                    if (until.contains(t.name())) {
                        stop = t;
                        return new Nodes.Block(nodes);
                    }
                    nodes.add(tag(t));
                }
            }
        }
        if (!until.isEmpty()) {
            throw Lexer.syntax(tokens.isEmpty() ? 1 : tokens.get(tokens.size() - 1).line(), "'" + opener + "' tag was never closed");
        }
        return new Nodes.Block(nodes);
    }

    private ExprParser expr(Lexer.Token t) {
        return new ExprParser(t.markup(), filters, t.line());
    }

    private Nodes.Node tag(Lexer.Token t) {
        return switch (t.name()) {
            case "assign" -> assign(t);
            case "capture" -> new Nodes.Capture(variableName(t, t.markup()), block(Set.of("endcapture"), "capture"));
            case "echo" -> {
                ExprParser p = expr(t);
                Expr e = p.atEnd() ? new Expr.Literal(null) : p.filtered();
                p.expectEnd();
                yield new Nodes.Output(e);
            }
            case "if", "unless" -> ifTag(t);
            case "case" -> caseTag(t);
            case "for" -> forTag(t);
            case "tablerow" -> tablerowTag(t);
            case "cycle" -> cycle(t);
            case "increment" -> new Nodes.Counter(variableName(t, t.markup()), 1);
            case "decrement" -> new Nodes.Counter(variableName(t, t.markup()), -1);
            case "break" -> new Nodes.Interrupt(RenderContext.BREAK);
            case "continue" -> new Nodes.Interrupt(RenderContext.CONTINUE);
            case "ifchanged" -> new Nodes.IfChanged(block(Set.of("endifchanged"), "ifchanged"));
            case "render" -> new PartialNodes.Render(PartialParser.call(expr(t), true));
            case "include" -> new PartialNodes.Include(PartialParser.call(expr(t), false));
            default -> throw new LiquidError("unknown_tag", "line " + t.line() + ": unknown tag '" + t.name() + "'");
        };
    }

    private static String variableName(Lexer.Token t, String markup) {
        String name = markup.strip();
        if (name.isEmpty() || name.startsWith("-") || name.endsWith("?") || !name.matches("[\\w-]+")) {
            throw Lexer.syntax(t.line(), "invalid variable name '" + name + "' in " + t.name());
        }
        return name;
    }

    private Nodes.Node assign(Lexer.Token t) {
        int eq = t.markup().indexOf('=');
        if (eq < 0) {
            throw Lexer.syntax(t.line(), "assign needs 'name = value'");
        }
        String name = variableName(t, t.markup().substring(0, eq));
        ExprParser p = new ExprParser(t.markup().substring(eq + 1), filters, t.line());
        Expr e = p.filtered();
        p.expectEnd();
        return new Nodes.Assign(name, e);
    }

    private Nodes.Node ifTag(Lexer.Token t) {
        String end = "end" + t.name();
        List<Expr> conditions = new ArrayList<>();
        List<Nodes.Block> bodies = new ArrayList<>();
        conditions.add(condition(t));
        Set<String> until = Set.of("elsif", "else", end);
        while (true) {
            bodies.add(block(until, t.name()));
            Lexer.Token s = stop;
            if (s.name().equals(end)) {
                break;
            }
            conditions.add(s.name().equals("else") ? null : condition(s));
        }
        return new Nodes.If(conditions, stripIfBlank(bodies), t.name().equals("unless"));
    }

    private Expr condition(Lexer.Token t) {
        ExprParser p = expr(t);
        Expr e = p.condition();
        p.expectEnd();
        return e;
    }

    private static List<Nodes.Block> stripIfBlank(List<Nodes.Block> bodies) {
        for (Nodes.Block b : bodies) {
            if (!b.blank()) {
                return bodies;
            }
        }
        List<Nodes.Block> out = new ArrayList<>();
        for (Nodes.Block b : bodies) {
            out.add(b.withoutBlankText());
        }
        return out;
    }

    private Nodes.Node caseTag(Lexer.Token t) {
        ExprParser p = expr(t);
        Expr subject = p.primary();
        p.expectEnd();
        Set<String> until = Set.of("when", "else", "endcase");
        block(until, "case");
        List<Expr> values = new ArrayList<>();
        List<Nodes.Block> bodies = new ArrayList<>();
        List<List<Expr>> groups = new ArrayList<>();
        while (!stop.name().equals("endcase")) {
            Lexer.Token s = stop;
            List<Expr> whenValues = new ArrayList<>();
            if (s.name().equals("when")) {
                ExprParser w = expr(s);
                do {
                    whenValues.add(w.primary());
                } while (w.accept(ExprParser.T.COMMA) || (w.atWord("or") && w.next() != null));
                w.expectEnd();
            } else {
                whenValues.add(null);
            }
            groups.add(whenValues);
            bodies.add(block(until, "case"));
        }
        List<Nodes.Block> stripped = stripIfBlank(bodies);
        List<Nodes.Block> expanded = new ArrayList<>();
        for (int k = 0; k < groups.size(); k++) {
            for (Expr v : groups.get(k)) {
                values.add(v);
                expanded.add(stripped.get(k));
            }
        }
        return new Nodes.Case(subject, values, expanded);
    }

    private Nodes.Node forTag(Lexer.Token t) {
        LoopHead h = LoopHead.parse(expr(t), t.markup());
        Nodes.Block body = block(Set.of("else", "endfor"), "for");
        Nodes.Block otherwise = null;
        if (stop.name().equals("else")) {
            otherwise = block(Set.of("endfor"), "for");
        }
        List<Nodes.Block> bodies = new ArrayList<>(List.of(body));
        if (otherwise != null) {
            bodies.add(otherwise);
        }
        bodies = stripIfBlank(bodies);
        return new LoopNodes.For(h.var(), h.collection(), h.collectionMarkup(), h.limit(), h.offset(), h.offsetContinue(),
                h.reversed(), bodies.get(0), otherwise == null ? null : bodies.get(1));
    }

    private Nodes.Node tablerowTag(Lexer.Token t) {
        LoopHead h = LoopHead.parse(expr(t), t.markup());
        Nodes.Block body = block(Set.of("endtablerow"), "tablerow");
        return new LoopNodes.Tablerow(h.var(), h.collection(), h.cols(), h.limit(), h.offset(), body);
    }

    private Nodes.Node cycle(Lexer.Token t) {
        ExprParser p = expr(t);
        Expr group = null;
        Expr first = p.primary();
        if (p.accept(ExprParser.T.COLON)) {
            group = first;
            first = p.primary();
        }
        List<Expr> values = new ArrayList<>(List.of(first));
        while (p.accept(ExprParser.T.COMMA)) {
            values.add(p.primary());
        }
        p.expectEnd();
        String key = group == null ? t.markup().replaceAll("\\s+", "") : null;
        return new Nodes.Cycle(group, key, values);
    }
}

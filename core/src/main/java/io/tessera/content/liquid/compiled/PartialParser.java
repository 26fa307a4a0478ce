package io.tessera.content.liquid.compiled;

import java.util.ArrayList;
import java.util.List;

/**
 * The markup of {@code render}/{@code include}: {@code 'name' [with|for expr] [as alias]
 * [,] key: value, …}. {@code render} needs a quoted name; {@code include} also takes a variable.
 */
final class PartialParser {

    private PartialParser() {}

    static PartialNodes.Call call(ExprParser p, boolean isRender) {
        String literal = null;
        Expr name;
        if (p.at(ExprParser.T.STRING)) {
            literal = p.next().text();
            name = new Expr.Literal(literal);
        } else if (isRender) {
            throw p.error("render needs a quoted template name");
        } else {
            name = p.primary();
        }
        Expr bound = null;
        boolean isFor = false;
        String alias = null;
        if ((p.atWord("with") || p.atWord("for")) && p.peek(1).type() != ExprParser.T.COLON) {
            isFor = p.next().text().equals("for");
            bound = p.primary();
        }
        if (p.atWord("as") && p.peek(1).type() == ExprParser.T.IDENT) {
            p.next();
            alias = p.next().text();
        }
        List<String> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!p.atEnd()) {
            if (p.accept(ExprParser.T.COMMA)) {
                continue;
            }
            String key = p.expect(ExprParser.T.IDENT).text();
            p.expect(ExprParser.T.COLON);
            keys.add(key);
            values.add(p.primary());
        }
        return new PartialNodes.Call(name, literal, bound, isFor, alias, keys, values);
    }
}

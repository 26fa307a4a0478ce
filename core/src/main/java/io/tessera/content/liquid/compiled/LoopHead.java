package io.tessera.content.liquid.compiled;

/**
 * The head of {@code for} and {@code tablerow}: {@code var in collection} then, in any order and
 * optionally comma-separated, {@code reversed}, {@code limit: n}, {@code offset: n|continue},
 * {@code cols: n}.
 */
record LoopHead(String var, Expr collection, String collectionMarkup, Expr limit, Expr offset, boolean offsetContinue,
                boolean reversed, Expr cols) {

    static LoopHead parse(ExprParser p, String markup) {
        ExprParser.Tok v = p.expect(ExprParser.T.IDENT);
        if (!p.atWord("in")) {
            throw p.error("expected 'in' in '" + markup + "'");
        }
        p.next();
        int startTok = p.position();
        Expr collection = p.primary();
        String collectionMarkup = p.textBetween(startTok, p.position());
        Expr limit = null;
        Expr offset = null;
        Expr cols = null;
        boolean offsetContinue = false;
        boolean reversed = false;
        while (!p.atEnd()) {
            if (p.accept(ExprParser.T.COMMA)) {
                continue;
            }
            ExprParser.Tok w = p.expect(ExprParser.T.IDENT);
            if (w.text().equals("reversed")) {
                reversed = true;
                continue;
            }
            p.expect(ExprParser.T.COLON);
            switch (w.text()) {
                case "limit" -> limit = p.primary();
                case "cols" -> cols = p.primary();
                case "offset" -> {
                    if (p.atWord("continue")) {
                        p.next();
                        offsetContinue = true;
                        offset = null;
                    } else {
                        offset = p.primary();
                        offsetContinue = false;
                    }
                }
                default -> throw p.error("unknown loop argument '" + w.text() + "'");
            }
        }
        return new LoopHead(v.text(), collection, collectionMarkup, limit, offset, offsetContinue, reversed, cols);
    }
}

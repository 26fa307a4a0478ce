package io.tessera.content.liquid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liqp.org.antlr.v4.runtime.tree.ParseTree;
import liquid.parser.v4.LiquidParser;

/**
 * How many positional arguments each filter takes (Shopify's signatures, plus ours). liqp ignores
 * extra arguments and defaults missing ones; the reference implementation raises, so a wrong count
 * is a parse error here — caught when a version is saved rather than shown to a recipient.
 * Keyword arguments ({@code allow_false: true}) are not counted.
 */
final class FilterArity {

    private static final Map<String, int[]> ARITY = Map.ofEntries(
            Map.entry("abs", new int[] {0, 0}), Map.entry("append", new int[] {1, 1}), Map.entry("at_least", new int[] {1, 1}),
            Map.entry("at_most", new int[] {1, 1}), Map.entry("capitalize", new int[] {0, 0}), Map.entry("ceil", new int[] {0, 0}),
            Map.entry("compact", new int[] {0, 1}), Map.entry("concat", new int[] {1, 1}), Map.entry("date", new int[] {1, 1}),
            Map.entry("default", new int[] {0, 1}), Map.entry("divided_by", new int[] {1, 1}), Map.entry("downcase", new int[] {0, 0}),
            Map.entry("escape", new int[] {0, 0}), Map.entry("escape_once", new int[] {0, 0}), Map.entry("first", new int[] {0, 0}),
            Map.entry("floor", new int[] {0, 0}), Map.entry("join", new int[] {0, 1}), Map.entry("last", new int[] {0, 0}),
            Map.entry("lstrip", new int[] {0, 0}), Map.entry("map", new int[] {1, 1}), Map.entry("minus", new int[] {1, 1}),
            Map.entry("modulo", new int[] {1, 1}), Map.entry("newline_to_br", new int[] {0, 0}), Map.entry("plus", new int[] {1, 1}),
            Map.entry("prepend", new int[] {1, 1}), Map.entry("remove", new int[] {1, 1}), Map.entry("remove_first", new int[] {1, 1}),
            Map.entry("remove_last", new int[] {1, 1}), Map.entry("replace", new int[] {1, 2}), Map.entry("replace_first", new int[] {1, 2}),
            Map.entry("replace_last", new int[] {2, 2}), Map.entry("reverse", new int[] {0, 0}), Map.entry("round", new int[] {0, 1}),
            Map.entry("rstrip", new int[] {0, 0}), Map.entry("size", new int[] {0, 0}), Map.entry("slice", new int[] {1, 2}),
            Map.entry("sort", new int[] {0, 1}), Map.entry("sort_natural", new int[] {0, 1}), Map.entry("split", new int[] {1, 1}),
            Map.entry("strip", new int[] {0, 0}), Map.entry("strip_html", new int[] {0, 0}), Map.entry("strip_newlines", new int[] {0, 0}),
            Map.entry("sum", new int[] {0, 1}), Map.entry("times", new int[] {1, 1}), Map.entry("truncate", new int[] {0, 2}),
            Map.entry("truncatewords", new int[] {0, 2}), Map.entry("uniq", new int[] {0, 1}), Map.entry("upcase", new int[] {0, 0}),
            Map.entry("url_decode", new int[] {0, 0}), Map.entry("url_encode", new int[] {0, 0}), Map.entry("where", new int[] {1, 2}),
            Map.entry("reject", new int[] {1, 2}), Map.entry("has", new int[] {1, 2}), Map.entry("find", new int[] {1, 2}),
            Map.entry("find_index", new int[] {1, 2}), Map.entry("base64_encode", new int[] {0, 0}),
            Map.entry("base64_decode", new int[] {0, 0}), Map.entry("base64_url_safe_encode", new int[] {0, 0}),
            Map.entry("base64_url_safe_decode", new int[] {0, 0}), Map.entry("money", new int[] {0, 1}),
            Map.entry("local_date", new int[] {0, 2}), Map.entry("image_resize", new int[] {1, 2}), Map.entry("safe", new int[] {0, 0}));

    private FilterArity() {}

    static List<String> violations(ParseTree tree) {
        List<String> out = new ArrayList<>();
        walk(tree, out);
        return out;
    }

    private static void walk(ParseTree node, List<String> out) {
        if (node instanceof LiquidParser.FilterContext f && f.Id() != null) {
            int[] range = ARITY.get(f.Id().getText());
            if (range != null) {
                int positional = 0;
                if (f.params() != null) {
                    for (LiquidParser.Param_exprContext p : f.params().param_expr()) {
                        if (p instanceof LiquidParser.Param_expr_exprContext) {
                            positional++;
                        }
                    }
                }
                if (positional < range[0] || positional > range[1]) {
                    out.add("filter " + f.Id().getText() + " takes " + (range[0] == range[1] ? range[0] : range[0] + "–" + range[1])
                            + " argument(s), got " + positional);
                }
            }
        }
        for (int i = 0; i < node.getChildCount(); i++) {
            walk(node.getChild(i), out);
        }
    }
}

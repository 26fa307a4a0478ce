package io.tessera.content;

import io.tessera.content.liquid.LiquidSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Liquid side of {@link TextTemplateCompiler}: a source cut into its text and its Liquid
 * constructs, with whitespace control ({@code {%-}, {@code -%}}) applied to the text as the
 * compiled engine's lexer does and the dashes removed, so the compiler can put markers between
 * them without stopping a trim. Refuses (with the reason) the tags and outputs a text template
 * cannot follow. Stateless.
 */
final class TextTemplateTokens {

    static final Set<String> OPENERS = Set.of("if", "unless", "for");
    static final Set<String> MIDDLES = Set.of("elsif", "else");
    static final Set<String> CLOSERS = Set.of("endif", "endunless", "endfor");

    private TextTemplateTokens() {
    }

    /** One Liquid construct of a source: its text without trim dashes, and what the compiler's scan found. */
    static final class Construct {
        final boolean output;
        final String name;
        final String text;
        int at;          // placeholder position in the analysis string
        int context;     // 0 comment/raw/unvisited, 1 visible text, 2 hidden text, 3 inside a start tag
        int segment = -1;

        Construct(boolean output, String name, String text) {
            this.output = output;
            this.name = name;
            this.text = text;
        }
    }

    /** Text (String) and {@link Construct} tokens of a source, trims applied and dashes removed. */
    static List<Object> tokenize(String src, boolean trimsAllowed) {
        List<Object> tokens = new ArrayList<>();
        List<boolean[]> trims = new ArrayList<>();
        int i = 0;
        StringBuilder text = new StringBuilder();
        while (i < src.length()) {
            int open = nextDelimiter(src, i);
            if (open < 0) {
                text.append(src, i, src.length());
                break;
            }
            text.append(src, i, open);
            boolean output = src.charAt(open + 1) == '{';
            int end = LiquidSyntax.tagEnd(src, open + 2, output ? "}}" : "%}");
            if (end < 0) {
                throw new TextTemplateCompiler.Refusal("an unclosed Liquid delimiter");
            }
            String inner = src.substring(open + 2, end);
            boolean left = inner.startsWith("-");
            boolean right = inner.endsWith("-") && inner.length() > (left ? 1 : 0);
            if ((left || right) && !trimsAllowed) {
                throw new TextTemplateCompiler.Refusal("whitespace control with an engine whose trimming is not mirrored here");
            }
            String body = inner.substring(left ? 1 : 0, inner.length() - (right ? 1 : 0));
            String name = output ? "" : body.strip().split("\\s+", 2)[0];
            if (output) {
                if (lastFilterIsSafe(body)) {
                    throw new TextTemplateCompiler.Refusal("an output marked safe");
                }
            } else if (!OPENERS.contains(name) && !MIDDLES.contains(name) && !CLOSERS.contains(name) && !name.equals("assign")) {
                throw new TextTemplateCompiler.Refusal("the Liquid tag '" + name + "'");
            }
            tokens.add(text.toString());
            trims.add(null);
            text.setLength(0);
            tokens.add(new Construct(output, name, (output ? "{{" : "{%") + body + (output ? "}}" : "%}")));
            trims.add(new boolean[] {left, right});
            i = end + 2;
        }
        tokens.add(text.toString());
        trims.add(null);
        for (int k = 0; k < tokens.size(); k++) {
            boolean[] t = trims.get(k);
            if (t == null) {
                continue;
            }
            if (t[0] && tokens.get(k - 1) instanceof String before) {
                tokens.set(k - 1, before.stripTrailing());
            }
            if (t[1] && tokens.get(k + 1) instanceof String after) {
                tokens.set(k + 1, after.stripLeading());
            }
        }
        return tokens;
    }

    private static int nextDelimiter(String src, int from) {
        for (int k = src.indexOf('{', from); k >= 0 && k + 1 < src.length(); k = src.indexOf('{', k + 1)) {
            char next = src.charAt(k + 1);
            if (next == '{' || next == '%') {
                return k;
            }
        }
        return -1;
    }

    private static boolean lastFilterIsSafe(String expr) {
        return LiquidSyntax.lastFilter(expr).equals("safe");
    }
}

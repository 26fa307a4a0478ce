package io.tessera.content.liquid;

/**
 * Two facts about Liquid source that the contextual escaper, the text-template compiler and the
 * HTML preparer (which holds Liquid aside while it inlines CSS) must read the same way: where a tag or output ends (quoted strings skipped), and which filter an
 * output applies last (an output whose last filter is {@code safe} is not escaped).
 */
public final class LiquidSyntax {

    private LiquidSyntax() {
    }

    /** Index of the two-char closing delimiter {@code close} in src from {@code from}, skipping quoted strings; -1 if none. */
    public static int tagEnd(String src, int from, String close) {
        char q = 0;
        for (int k = from; k < src.length() - 1; k++) {
            char c = src.charAt(k);
            if (q != 0) {
                if (c == q) {
                    q = 0;
                }
            } else if (c == '\'' || c == '"') {
                q = c;
            } else if (c == close.charAt(0) && src.charAt(k + 1) == close.charAt(1)) {
                return k;
            }
        }
        return -1;
    }

    /** The name of the last filter of an output expression ({@code "x | upcase | safe"} → {@code safe}); "" if none. */
    public static String lastFilter(String expr) {
        int pipe = -1;
        char q = 0;
        for (int k = 0; k < expr.length(); k++) {
            char c = expr.charAt(k);
            if (q != 0) {
                if (c == q) {
                    q = 0;
                }
            } else if (c == '\'' || c == '"') {
                q = c;
            } else if (c == '|') {
                pipe = k;
            }
        }
        if (pipe < 0) {
            return "";
        }
        String f = expr.substring(pipe + 1).trim();
        int stop = 0;
        while (stop < f.length() && (Character.isLetterOrDigit(f.charAt(stop)) || f.charAt(stop) == '_')) {
            stop++;
        }
        return f.substring(0, stop);
    }
}

package io.tessera.content.liquid.compiled;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits Liquid source into text, output and tag tokens and applies whitespace control
 * ({@code {%- -%}}, {@code {{- -}}}). Bodies that are never parsed are consumed here: {@code raw}
 * (kept as text), {@code comment} (nested comments and raw blocks inside it respected),
 * {@code doc} and inline {@code #} comments (dropped). A {@code {% liquid %}} tag is expanded
 * into one tag token per line. Not thread-safe; one instance per source.
 */
final class Lexer {

    enum Kind { TEXT, OUTPUT, TAG, NOOP }

    /** One token; for TEXT the text is {@code markup}; for TAG {@code name} is the tag name. */
    record Token(Kind kind, String name, String markup, int line, boolean trimLeft, boolean trimRight) {
        Token withMarkup(String m) {
            return new Token(kind, name, m, line, trimLeft, trimRight);
        }
    }

    private final String src;
    private final List<Token> out = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineScanned;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String source) {
        Lexer l = new Lexer(source);
        l.run();
        return trimWhitespace(l.out);
    }

    private int lineAt(int at) {
        for (int k = lineScanned; k < at && k < src.length(); k++) {
            if (src.charAt(k) == '\n') {
                line++;
            }
        }
        lineScanned = Math.max(lineScanned, at);
        return line;
    }

    private void run() {
        int n = src.length();
        while (pos < n) {
            int start = nextDelimiter(pos);
            if (start < 0) {
                text(pos, n);
                break;
            }
            text(pos, start);
            int ln = lineAt(start);
            if (src.charAt(start + 1) == '{') {
                int end = src.indexOf("}}", start + 2);
                if (end < 0) {
                    throw syntax(ln, "output '{{' was not properly terminated with '}}'");
                }
                String inner = src.substring(start + 2, end);
                boolean tl = inner.startsWith("-");
                boolean tr = inner.endsWith("-") && inner.length() > (tl ? 1 : 0);
                String markup = inner.substring(tl ? 1 : 0, inner.length() - (tr ? 1 : 0)).strip();
                out.add(new Token(Kind.OUTPUT, "", markup, ln, tl, tr));
                pos = end + 2;
            } else {
                tag(start, ln);
            }
        }
    }

    private int nextDelimiter(int from) {
        int k = from;
        while ((k = src.indexOf('{', k)) >= 0 && k + 1 < src.length()) {
            char c = src.charAt(k + 1);
            if (c == '{' || c == '%') {
                return k;
            }
            k++;
        }
        return -1;
    }

    private void text(int from, int to) {
        if (to > from) {
            out.add(new Token(Kind.TEXT, "", src.substring(from, to), line, false, false));
        }
    }

    /** A parsed {@code {% … %}}: name, markup, trim flags and where it ends. */
    private record TagText(String name, String markup, boolean trimLeft, boolean trimRight, int end) {}

    private TagText readTag(int start, int ln) {
        int end = src.indexOf("%}", start + 2);
        if (end < 0) {
            throw syntax(ln, "tag '{%' was not properly terminated with '%}'");
        }
        String inner = src.substring(start + 2, end);
        boolean tl = inner.startsWith("-");
        boolean tr = inner.endsWith("-") && inner.length() > (tl ? 1 : 0);
        String body = inner.substring(tl ? 1 : 0, inner.length() - (tr ? 1 : 0)).strip();
        String name = tagName(body);
        return new TagText(name, body.substring(name.length()).strip(), tl, tr, end + 2);
    }

    static String tagName(String body) {
        if (body.startsWith("#")) {
            return "#";
        }
        int k = 0;
        while (k < body.length() && (Character.isLetterOrDigit(body.charAt(k)) || body.charAt(k) == '_')) {
            k++;
        }
        return body.substring(0, k);
    }

    private void tag(int start, int ln) {
        TagText t = readTag(start, ln);
        pos = t.end;
        switch (t.name) {
            case "raw" -> {
                Matcher m = closer(ln, "raw", t.end);
                out.add(new Token(Kind.TEXT, "raw", src.substring(t.end, m.start()), ln, t.trimLeft, m.group(1) != null));
            }
            case "comment" -> {
                TagText close = skipTo(ln, "endcomment", true);
                out.add(new Token(Kind.NOOP, "", "", ln, t.trimLeft, close.trimRight));
            }
            case "doc" -> {
                if (!t.markup.isEmpty()) {
                    throw syntax(ln, "doc takes no arguments");
                }
                Matcher m = closer(ln, "doc", t.end);
                if (DOC_OPEN.matcher(src).region(t.end, m.start()).find()) {
                    throw syntax(ln, "doc blocks cannot be nested");
                }
                out.add(new Token(Kind.NOOP, "", "", ln, t.trimLeft, m.group(1) != null));
            }
            case "#" -> {
                String[] lines = t.markup.split("\r?\n");
                for (int k = 1; k < lines.length; k++) {
                    if (!lines[k].isBlank() && !lines[k].strip().startsWith("#")) {
                        throw syntax(ln, "every line of an inline comment must start with '#'");
                    }
                }
                out.add(new Token(Kind.NOOP, "", "", ln, t.trimLeft, t.trimRight));
            }
            case "liquid" -> {
                out.add(new Token(Kind.NOOP, "", "", ln, t.trimLeft, false));
                liquidLines(t.markup, ln);
                out.add(new Token(Kind.NOOP, "", "", ln, false, t.trimRight));
            }
            case "" -> throw syntax(ln, "tag without a name: {%" + t.markup + "%}");
            default -> out.add(new Token(Kind.TAG, t.name, t.markup, ln, t.trimLeft, t.trimRight));
        }
    }

    private static final Pattern DOC_OPEN = Pattern.compile("\\{%-?\\s*doc\\s*-?%\\}");

    /** The closing {@code {% endNAME %}} after {@code from} (group 1 set when it trims right). */
    private Matcher closer(int ln, String name, int from) {
        Matcher m = Pattern.compile("\\{%-?\\s*end" + name + "\\s*(-)?%\\}").matcher(src);
        if (!m.find(from)) {
            throw syntax(ln, "'" + name + "' tag was never closed");
        }
        pos = m.end();
        return m;
    }

    private int closeStart;

    /** Skips to the closing tag; comments nest and may hold raw blocks. Sets {@link #closeStart}. */
    private TagText skipTo(int ln, String closer, boolean nests) {
        int depth = 1;
        while (true) {
            int k = src.indexOf("{%", pos);
            if (k < 0) {
                throw syntax(ln, "'" + closer.substring(3) + "' tag was never closed");
            }
            int end = src.indexOf("%}", k + 2);
            if (end < 0) {
                throw syntax(ln, "'" + closer.substring(3) + "' tag was never closed");
            }
            TagText t = readTag(k, ln);
            pos = t.end;
            if (t.name.equals(closer)) {
                depth--;
                if (depth == 0 || !nests) {
                    closeStart = k;
                    return t;
                }
            } else if (nests && t.name.equals("comment")) {
                depth++;
            } else if (nests && t.name.equals("raw")) {
                skipTo(ln, "endraw", false);
            }
        }
    }

    /** The body of {@code {% liquid %}}: one tag per line, {@code #} lines are comments. */
    private void liquidLines(String markup, int ln) {
        String[] lines = markup.split("\r?\n");
        int open = 0;
        for (int i = 0; i < lines.length; i++) {
            String body = lines[i].strip();
            if (body.isEmpty()) {
                continue;
            }
            String name = tagName(body);
            String rest = body.substring(name.length()).strip();
            int at = ln + i;
            switch (name) {
                case "#" -> { }
                case "comment" -> {
                    int depth = 1;
                    while (++i < lines.length) {
                        String n = tagName(lines[i].strip());
                        depth += n.equals("comment") ? 1 : n.equals("endcomment") ? -1 : 0;
                        if (depth == 0) {
                            break;
                        }
                    }
                    if (depth != 0) {
                        throw syntax(at, "'comment' tag was never closed");
                    }
                }
                case "liquid" -> liquidLines(rest, at);
                case "echo" -> out.add(new Token(Kind.OUTPUT, "", rest, at, false, false));
                case "" -> throw syntax(at, "unexpected '" + body + "' in liquid tag");
                default -> {
                    if (BLOCKS.contains(name)) {
                        open++;
                    } else if (name.startsWith("end") && BLOCKS.contains(name.substring(3)) && --open < 0) {
                        throw syntax(at, "'" + name + "' closes a block opened outside this liquid tag");
                    }
                    out.add(new Token(Kind.TAG, name, rest, at, false, false));
                }
            }
        }
    }

    private static List<Token> trimWhitespace(List<Token> tokens) {
        List<Token> result = new ArrayList<>(tokens);
        for (int i = 0; i < result.size(); i++) {
            Token t = result.get(i);
            if (t.kind() == Kind.TEXT && !t.name().equals("raw")) {
                continue;
            }
            if (t.trimLeft() && i > 0 && isPlainText(result.get(i - 1))) {
                result.set(i - 1, result.get(i - 1).withMarkup(result.get(i - 1).markup().stripTrailing()));
            }
            if (t.trimRight() && i + 1 < result.size() && isPlainText(result.get(i + 1))) {
                result.set(i + 1, result.get(i + 1).withMarkup(result.get(i + 1).markup().stripLeading()));
            }
        }
        return result;
    }

    private static boolean isPlainText(Token t) {
        return t.kind() == Kind.TEXT && !t.name().equals("raw");
    }

    private static final Set<String> BLOCKS = Set.of("if", "unless", "case", "for", "tablerow", "capture", "ifchanged");

    static LiquidError syntax(int line, String message) {
        return new LiquidError("syntax", "line " + line + ": " + message);
    }
}

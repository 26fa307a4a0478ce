package io.tessera.opentime.amp;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AMP4EMAIL CSS rules {@link Amp4EmailChecker} applies to {@code <style amp-custom>} and
 * {@code style} attributes, with the validator's error codes: syntax (unterminated comment or
 * string, stray trailing backslash, declarations that are not {@code name: value}), at-rules
 * (only {@code @media}, with a well-formed query of known media types and features), {@code url()}
 * (present, balanced, absolute HTTPS), nesting depth, {@code !important}, and the size limits.
 * A small hand-written scanner, not a CSS grammar: it covers what the reference documents test.
 * Stateless; thread-safe.
 */
final class Amp4EmailCss {
    private static final Set<String> MEDIA_TYPES = Set.of("all", "print", "screen", "speech");
    private static final Set<String> MEDIA_FEATURES = Set.of("width", "height", "aspect-ratio", "orientation", "resolution",
            "color", "color-index", "monochrome", "grid", "scan", "update", "overflow-block", "overflow-inline", "hover",
            "any-hover", "pointer", "any-pointer", "prefers-color-scheme", "prefers-reduced-motion", "prefers-contrast",
            "device-width", "device-height", "device-aspect-ratio", "-webkit-device-pixel-ratio", "device-pixel-ratio",
            "inverted-colors", "forced-colors", "display-mode", "dynamic-range");
    private static final Pattern URL = Pattern.compile("url\\(", Pattern.CASE_INSENSITIVE);
    private static final Pattern DECLARATION = Pattern.compile("\\s*-?[A-Za-z][A-Za-z0-9-]*\\s*:[\\s\\S]*");
    private static final int MAX_NESTING = 5;

    private Amp4EmailCss() {}

    /** Errors of a stylesheet ({@code <style amp-custom>}). */
    static void checkStylesheet(String css, List<String> errors) {
        if (css.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 75_000) {
            errors.add("STYLESHEET_TOO_LONG");
        }
        if (!lexicallyValid(css, errors)) {
            return;
        }
        String text = stripComments(css);
        checkUrls(text, errors);
        checkImportant(text, errors);
        rules(text, 0, errors);
    }

    /** Errors of a {@code style} attribute's declarations. */
    static void checkInline(String style, List<String> errors) {
        if (style.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1000) {
            errors.add("INLINE_STYLE_TOO_LONG");
        }
        if (!lexicallyValid(style, errors)) {
            return;
        }
        String text = stripComments(style);
        checkUrls(text, errors);
        checkImportant(text, errors);
        declarations(text, errors);
    }

    private static boolean lexicallyValid(String css, List<String> errors) {
        int i = 0;
        while (i < css.length()) {
            char c = css.charAt(i);
            if (c == '/' && i + 1 < css.length() && css.charAt(i + 1) == '*') {
                int end = css.indexOf("*/", i + 2);
                if (end < 0) {
                    errors.add("CSS_SYNTAX_UNTERMINATED_COMMENT");
                    return false;
                }
                i = end + 2;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < css.length() && css.charAt(j) != c && css.charAt(j) != '\n') {
                    j += css.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= css.length() || css.charAt(j) != c) {
                    errors.add("CSS_SYNTAX_UNTERMINATED_STRING");
                    return false;
                }
                i = j + 1;
            } else if (c == '\\' && (i + 1 >= css.length() || css.charAt(i + 1) == '\n' || css.charAt(i + 1) == '\r')) {
                errors.add("CSS_SYNTAX_STRAY_TRAILING_BACKSLASH");
                return false;
            } else {
                i += c == '\\' ? 2 : 1;
            }
        }
        return true;
    }

    private static String stripComments(String css) {
        return css.replaceAll("(?s)/\\*.*?\\*/", " ");
    }

    private static void checkImportant(String css, List<String> errors) {
        if (css.toLowerCase(Locale.ROOT).matches("(?s).*!\\s*important.*")) {
            errors.add("CSS_SYNTAX_DISALLOWED_IMPORTANT");
        }
    }

    private static void checkUrls(String css, List<String> errors) {
        Matcher m = URL.matcher(css);
        while (m.find()) {
            int close = css.indexOf(')', m.end());
            String inner = close < 0 ? css.substring(m.end()) : css.substring(m.end(), close);
            String url = inner.trim();
            if (url.length() >= 2 && (url.charAt(0) == '"' || url.charAt(0) == '\'') && url.charAt(url.length() - 1) == url.charAt(0)) {
                url = url.substring(1, url.length() - 1).trim();
            }
            if (close < 0 || inner.contains("(")) {
                errors.add("CSS_SYNTAX_BAD_URL");
            } else if (url.isEmpty()) {
                errors.add("CSS_SYNTAX_MISSING_URL");
            } else if (url.matches("(?i)[a-z][a-z0-9+.-]*:.*") && (!url.toLowerCase(Locale.ROOT).startsWith("https:") || !url.chars().allMatch(ch -> ch < 0x80))) {
                errors.add("CSS_SYNTAX_INVALID_URL_PROTOCOL"); // relative URLs pass the current validator
            }
        }
    }

    /** Walks rules at one nesting level: {@code prelude { body }}; at-rules other than @media are refused. */
    private static void rules(String css, int depth, List<String> errors) {
        if (depth > MAX_NESTING) {
            errors.add("CSS_EXCESSIVELY_NESTED");
            return;
        }
        int i = 0;
        while (i < css.length()) {
            int open = css.indexOf('{', i);
            int semi = css.indexOf(';', i);
            if (open < 0) {
                String rest = css.substring(i).trim();
                if (rest.startsWith("@")) {
                    atRule(rest, errors);
                } else if (!rest.isEmpty() && !rest.equals("}")) {
                    errors.add("CSS_SYNTAX_INCOMPLETE_DECLARATION");
                }
                return;
            }
            if (semi >= 0 && semi < open && css.substring(i, semi).trim().startsWith("@")) {
                atRule(css.substring(i, semi).trim(), errors);  // @import …; @charset …;
                i = semi + 1;
                continue;
            }
            int close = matching(css, open);
            String prelude = css.substring(i, open).trim();
            String body = css.substring(open + 1, close < 0 ? css.length() : close);
            if (prelude.startsWith("@")) {
                if (atRule(prelude, errors)) {
                    rules(body, depth + 1, errors);
                }
            } else if (body.contains("{")) {
                errors.add("CSS_EXCESSIVELY_NESTED");
            } else {
                declarations(body, errors);
            }
            i = close < 0 ? css.length() : close + 1;
        }
    }

    /** Answers whether the at-rule is allowed (so its block is walked). */
    private static boolean atRule(String prelude, List<String> errors) {
        String name = prelude.substring(1).split("[\\s({;]", 2)[0].toLowerCase(Locale.ROOT);
        if (!name.equals("media")) {
            errors.add("CSS_SYNTAX_INVALID_AT_RULE");
            return false;
        }
        mediaQueries(prelude.substring(1 + name.length()).trim(), errors);
        return true;
    }

    private static void mediaQueries(String queries, List<String> errors) {
        for (String q : queries.split(",")) {
            String query = q.trim().toLowerCase(Locale.ROOT);
            if (query.isEmpty()) {
                errors.add("CSS_SYNTAX_MALFORMED_MEDIA_QUERY");
                continue;
            }
            String[] parts = query.split("\\s+and\\s+");
            for (int k = 0; k < parts.length; k++) {
                String p = parts[k].trim();
                if (p.startsWith("(")) {
                    if (!p.matches("\\(\\s*[a-z-]+\\s*(:[^()]*)?\\)")) {
                        errors.add("CSS_SYNTAX_MALFORMED_MEDIA_QUERY");
                        continue;
                    }
                    String feature = p.substring(1, p.length() - 1).split(":", 2)[0].trim().replaceFirst("^(min|max)-", "");
                    if (!MEDIA_FEATURES.contains(feature)) {
                        errors.add("CSS_SYNTAX_DISALLOWED_MEDIA_FEATURE");
                    }
                } else if (k == 0 && p.matches("((only|not)\\s+)?[a-z-]+")) {
                    String type = p.replaceFirst("^(only|not)\\s+", "");
                    if (!MEDIA_TYPES.contains(type)) {
                        errors.add("CSS_SYNTAX_DISALLOWED_MEDIA_TYPE");
                    }
                } else {
                    errors.add("CSS_SYNTAX_MALFORMED_MEDIA_QUERY");
                }
            }
        }
    }

    private static void declarations(String body, List<String> errors) {
        for (String d : body.split(";")) {
            String decl = d.trim();
            if (decl.isEmpty()) {
                continue;
            }
            if (!DECLARATION.matcher(decl).matches()) {
                errors.add(decl.matches("-?[A-Za-z][A-Za-z0-9-]*") ? "CSS_SYNTAX_INCOMPLETE_DECLARATION" : "CSS_SYNTAX_INVALID_DECLARATION");
            }
        }
    }

    private static int matching(String css, int open) {
        int depth = 0;
        for (int i = open; i < css.length(); i++) {
            char c = css.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            } else if (c == '"' || c == '\'') {
                int end = css.indexOf(c, i + 1);
                i = end < 0 ? css.length() : end;
            }
        }
        return -1;
    }
}

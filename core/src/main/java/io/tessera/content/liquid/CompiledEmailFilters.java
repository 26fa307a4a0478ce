package io.tessera.content.liquid;

import io.tessera.content.liquid.compiled.FilterSet;
import io.tessera.content.liquid.compiled.LiquidError;
import io.tessera.content.liquid.compiled.Numbers;
import io.tessera.content.liquid.compiled.RenderContext;
import io.tessera.content.liquid.compiled.Strftime;
import io.tessera.content.liquid.compiled.Values;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The email dialect's filters on the compiled engine — the same contract as {@link EmailFilters}
 * (money, local_date, image_resize, safe, the escapers {@link ContextualEscaper} appends) and a
 * {@code default} for which a whitespace-only string is empty too.
 */
final class CompiledEmailFilters {

    private CompiledEmailFilters() {}

    static void register(FilterSet.Builder b, EmailFilters.Settings s) {
        b.add("safe", 0, 0, (in, a, kw, ctx) -> in);
        escaper(b, "escape_html_auto", Escapes::html);
        escaper(b, "escape_url_part_auto", Escapes::urlPart);
        escaper(b, "escape_href_auto", Escapes::href);
        escaper(b, "escape_css_auto", Escapes::css);
        escaper(b, "escape_text_auto", Escapes::text);
        b.add("default", 0, 1, (in, a, kw, ctx) -> defaultValue(in, a.length > 0 ? a[0] : "", kw));
        b.add("money", 0, 1, (in, a, kw, ctx) -> money(in, a.length > 0 ? a[0] : null, ctx, s));
        b.add("local_date", 0, 2, (in, a, kw, ctx) -> localDate(in, a, ctx, s));
        b.add("image_resize", 1, 2, (in, a, kw, ctx) -> imageResize(in, a, s));
    }

    private static void escaper(FilterSet.Builder b, String name, UnaryOperator<String> f) {
        b.add(name, 0, 0, (in, a, kw, ctx) -> in == null ? "" : f.apply(Values.str(in)));
    }

    private static Object defaultValue(Object in, Object fallback, Map<String, Object> kw) {
        boolean allowFalse = Values.truthy(kw.get("allow_false"));
        boolean empty = allowFalse ? in == null : !Values.truthy(in);
        if (!empty) {
            empty = switch (in) {
                case CharSequence cs -> cs.toString().isBlank();
                case Collection<?> c -> c.isEmpty();
                case Map<?, ?> m -> m.isEmpty();
                default -> false;
            };
        }
        return empty ? fallback : in;
    }

    private static Object money(Object in, Object currency, RenderContext ctx, EmailFilters.Settings s) {
        if (in == null || (in instanceof String str && str.isBlank())) {
            return "";
        }
        BigDecimal amount;
        try {
            // A double is formatted from its shortest decimal form (what {{ x }} prints), as the liqp
            // filter did: NumberFormat.format(double) would round the binary value instead, so
            // 37.825 (stored as 37.82500000000000284…) would become 37.83 here and 37.82 there.
            amount = in instanceof Number n ? Values.decimal(n) : new BigDecimal(Values.str(in).strip());
        } catch (NumberFormatException notANumber) {
            throw new LiquidError("render_error", "money: not an amount: " + Values.str(in));
        }
        Object l = ctx.get("locale");
        String key = (l == null ? "" : Values.str(l)) + "|" + (currency == null ? "" : Values.str(currency));
        Map<String, NumberFormat> mine = FORMATS.get();
        NumberFormat nf = mine.get(key);
        if (nf == null) {
            nf = currencyFormat(l == null ? s.locale() : Locale.forLanguageTag(Values.str(l).replace('_', '-')), currency);
            if (mine.size() < 256) {
                mine.put(key, nf);
            }
        }
        return nf.format(amount);
    }

    /**
     * Currency formats per thread, by locale and currency: building one (pattern parsing) costs
     * more than the rest of a product card, and a NumberFormat is not thread-safe.
     */
    private static final ThreadLocal<Map<String, NumberFormat>> FORMATS = ThreadLocal.withInitial(HashMap::new);

    private static NumberFormat currencyFormat(Locale locale, Object currency) {
        NumberFormat nf = NumberFormat.getCurrencyInstance(locale);
        if (currency != null) {
            Currency c;
            try {
                c = Currency.getInstance(Values.str(currency).strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                throw new LiquidError("render_error", "money: unknown currency " + Values.str(currency));
            }
            nf.setCurrency(c);
            nf.setMinimumFractionDigits(c.getDefaultFractionDigits());
            nf.setMaximumFractionDigits(c.getDefaultFractionDigits());
        }
        return nf;
    }

    private static Object localDate(Object in, Object[] a, RenderContext ctx, EmailFilters.Settings s) {
        if (in == null || (in instanceof String str && str.isBlank())) {
            return "";
        }
        Instant instant = instant(in);
        Object tz = ctx.get("timezone");
        if (tz == null && a.length > 1) {
            tz = a[1];
        }
        ZoneId zone = s.zone();
        if (tz != null) {
            try {
                zone = ZoneId.of(Values.str(tz));
            } catch (DateTimeException unknownZone) {
                zone = s.zone();
            }
        }
        String format = a.length > 0 ? Values.str(a[0]) : "%Y-%m-%d %H:%M";
        return Strftime.format(instant.atZone(zone), format);
    }

    /** The instant a value stands for: a Java time value, epoch seconds or an ISO-8601 string. */
    static Instant instant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof TemporalAccessor t) {
            return Instant.from(t);
        }
        if (v instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        String text = Values.str(v).strip();
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new LiquidError("render_error", "local_date: not a date: " + text);
            }
        }
    }

    private static Object imageResize(Object in, Object[] a, EmailFilters.Settings s) {
        if (in == null) {
            return "";
        }
        String url = Values.str(in);
        String w = String.valueOf(Numbers.toLong(a[0]));
        String h = a.length > 1 ? String.valueOf(Numbers.toLong(a[1])) : "";
        if (s.imagePattern().isEmpty()) {
            StringBuilder out = new StringBuilder(url.length() + 16).append(url).append(url.contains("?") ? '&' : '?').append("w=").append(w);
            if (!h.isEmpty()) {
                out.append("&h=").append(h);
            }
            return out.toString();
        }
        return s.imagePattern().replace("{url}", Escapes.urlPart(url)).replace("{w}", w).replace("{h}", h);
    }
}

package io.tessera.content.liquid;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import liqp.TemplateContext;
import liqp.filters.Filter;

/**
 * Our filters for email templates, plus the escapers {@link ContextualEscaper} appends.
 *
 * <ul>
 *   <li>{@code money: 'EUR'} — an amount with its currency, in the recipient's locale
 *       (variable {@code locale}, else the configured one): {@code 1234.5 | money: 'EUR'} → €1,234.50.</li>
 *   <li>{@code local_date: '%b %d, %Y'} — an instant in the recipient's time zone (variable
 *       {@code timezone}, else the second argument, else the configured zone), strftime format.</li>
 *   <li>{@code image_resize: 600[, 300]} — the URL of the resized image, built from the configured
 *       pattern ({@code {url}}, {@code {w}}, {@code {h}}).</li>
 *   <li>{@code safe} — marks a value as trusted HTML/URL; the escaper leaves it alone.</li>
 * </ul>
 */
public final class EmailFilters {

    /**
     * @param imagePattern e.g. {@code https://img.example.com/{w}x{h}/{url}}; empty → query parameters
     *                     {@code w}/{@code h} appended to the image URL itself
     */
    public record Settings(Locale locale, ZoneId zone, String imagePattern) {
        public static final Settings DEFAULTS = new Settings(Locale.US, ZoneId.of("UTC"), "");
    }

    private EmailFilters() {}

    static List<Filter> all(Settings s) {
        return List.of(new Money(s), new LocalDate(s), new ImageResize(s), new Identity("safe"),
                new Escape("escape_html_auto", Escapes::html), new Escape("escape_url_part_auto", Escapes::urlPart),
                new Escape("escape_href_auto", Escapes::href), new Escape("escape_css_auto", Escapes::css),
                new Escape("escape_text_auto", Escapes::text));
    }

    private static final class Identity extends Filter {
        Identity(String name) {
            super(name);
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            return value;
        }
    }

    private static final class Escape extends Filter {
        private final java.util.function.Function<String, String> f;

        Escape(String name, java.util.function.Function<String, String> f) {
            super(name);
            this.f = f;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (value == null) {
                return "";
            }
            return f.apply(super.asString(value, context));
        }
    }

    private static final class Money extends Filter {
        private final Settings s;

        Money(Settings s) {
            super("money");
            this.s = s;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (value == null || (value instanceof String str && str.isBlank())) {
                return "";
            }
            BigDecimal amount = new BigDecimal(super.asString(value, context).trim());
            Locale locale = recipientLocale(context, s.locale());
            NumberFormat nf = NumberFormat.getCurrencyInstance(locale);
            if (params.length > 0 && params[0] != null) {
                Currency c = Currency.getInstance(String.valueOf(params[0]).trim().toUpperCase(Locale.ROOT));
                nf.setCurrency(c);
                nf.setMinimumFractionDigits(c.getDefaultFractionDigits());
                nf.setMaximumFractionDigits(c.getDefaultFractionDigits());
            }
            return nf.format(amount);
        }
    }

    private static final class LocalDate extends Filter {
        private final Settings s;

        LocalDate(Settings s) {
            super("local_date");
            this.s = s;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (value == null || (value instanceof String str && str.isBlank())) {
                return "";
            }
            Instant instant = CompiledEmailFilters.instant(value);
            ZoneId zone = zone(context, params);
            ZonedDateTime local = instant.atZone(zone);
            String format = params.length > 0 ? String.valueOf(params[0]) : "%Y-%m-%d %H:%M";
            return context.getParser().filters.get("date").apply(local, context, format);
        }

        private ZoneId zone(TemplateContext context, Object... params) {
            Object tz = context.get("timezone");
            if (tz == null && params.length > 1) {
                tz = params[1];
            }
            if (tz != null) {
                try {
                    return ZoneId.of(String.valueOf(tz));
                } catch (DateTimeException unknownZone) {
                    return s.zone();
                }
            }
            return s.zone();
        }
    }

    private static final class ImageResize extends Filter {
        private final Settings s;

        ImageResize(Settings s) {
            super("image_resize");
            this.s = s;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            if (value == null) {
                return "";
            }
            String url = super.asString(value, context);
            String w = params.length > 0 ? String.valueOf(super.asNumber(params[0]).intValue()) : "";
            String h = params.length > 1 ? String.valueOf(super.asNumber(params[1]).intValue()) : "";
            if (s.imagePattern().isEmpty()) {
                StringBuilder out = new StringBuilder(url).append(url.contains("?") ? '&' : '?').append("w=").append(w);
                if (!h.isEmpty()) {
                    out.append("&h=").append(h);
                }
                return out.toString();
            }
            return s.imagePattern().replace("{url}", Escapes.urlPart(url))
                    .replace("{w}", w).replace("{h}", h);
        }
    }

    static Locale recipientLocale(TemplateContext context, Locale fallback) {
        Object l = context.get("locale");
        return l == null ? fallback : Locale.forLanguageTag(String.valueOf(l).replace('_', '-'));
    }
}

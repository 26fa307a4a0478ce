package io.tessera.content.liquid.compiled;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * The {@code date} filter: Ruby's {@code strftime} over a date taken from a timestamp, an ISO or
 * English date string, {@code "now"}/{@code "today"} (from the engine's clock) or a Java time
 * value. An input that is not a date is returned unchanged, as in the reference.
 */
public final class Strftime {

    private static final List<DateTimeFormatter> PARSERS = List.of(
            DateTimeFormatter.ISO_OFFSET_DATE_TIME, DateTimeFormatter.ISO_ZONED_DATE_TIME,
            DateTimeFormatter.ISO_LOCAL_DATE_TIME, DateTimeFormatter.ISO_LOCAL_DATE,
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS][ XX][ XXX]", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[ XX][ XXX]", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("MMMM d, yyyy[ HH:mm[:ss]]", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("MMM d, yyyy[ HH:mm[:ss]]", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("d MMMM yyyy[ HH:mm[:ss]]", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("d MMM yyyy[ HH:mm[:ss]]", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("yyyy/MM/dd[ HH:mm[:ss]]", Locale.ENGLISH));

    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};

    private Strftime() {}

    static Object dateFilter(Object input, Object format, RenderContext ctx) {
        String f = Values.str(format);
        if (f.isEmpty() || input == null) {
            return input;
        }
        ZonedDateTime t = toDate(input, ctx.engine.zone(), ctx);
        return t == null ? input : format(t, f);
    }

    /** The date an input stands for, or null. */
    static ZonedDateTime toDate(Object input, ZoneId zone, RenderContext ctx) {
        switch (input) {
            case ZonedDateTime z -> {
                return z;
            }
            case OffsetDateTime o -> {
                return o.toZonedDateTime();
            }
            case Instant i -> {
                return i.atZone(zone);
            }
            case LocalDateTime l -> {
                return l.atZone(zone);
            }
            case LocalDate d -> {
                return d.atStartOfDay(zone);
            }
            case Number n when Values.isInteger(n) -> {
                return Instant.ofEpochSecond(n.longValue()).atZone(zone);
            }
            case Number n -> {
                return Instant.ofEpochMilli((long) (n.doubleValue() * 1000)).atZone(zone);
            }
            case TemporalAccessor ta -> {
                return ZonedDateTime.from(ta);
            }
            case String s -> {
                String x = s.strip();
                if (x.isEmpty()) {
                    return null;
                }
                if (x.equalsIgnoreCase("now") || x.equalsIgnoreCase("today")) {
                    return ctx.engine.now().atZone(zone);
                }
                if (x.chars().allMatch(Character::isDigit)) {
                    try {
                        return Instant.ofEpochSecond(Long.parseLong(x)).atZone(zone);
                    } catch (NumberFormatException tooBig) {
                        return null;
                    }
                }
                return parse(x, zone);
            }
            default -> {
                return null;
            }
        }
    }

    private static ZonedDateTime parse(String x, ZoneId zone) {
        for (DateTimeFormatter p : PARSERS) {
            try {
                TemporalAccessor ta = p.parseBest(x, ZonedDateTime::from, LocalDateTime::from, LocalDate::from);
                return switch (ta) {
                    case ZonedDateTime z -> z;
                    case LocalDateTime l -> l.atZone(zone);
                    case LocalDate d -> d.atStartOfDay(zone);
                    default -> null;
                };
            } catch (DateTimeParseException notThisShape) {
                // try the next shape
            }
        }
        return null;
    }

    /** Ruby's strftime, with the {@code - _ 0 ^ #} flags and a width. */
    public static String format(ZonedDateTime t, String f) {
        StringBuilder out = new StringBuilder(f.length() + 16);
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c != '%' || i + 1 >= f.length()) {
                out.append(c);
                continue;
            }
            int j = i + 1;
            char flag = 0;
            boolean upper = false;
            while (j < f.length() && "-_0^#".indexOf(f.charAt(j)) >= 0) {
                if (f.charAt(j) == '^' || f.charAt(j) == '#') {
                    upper = true;
                } else {
                    flag = f.charAt(j);
                }
                j++;
            }
            int width = -1;
            while (j < f.length() && Character.isDigit(f.charAt(j))) {
                width = Math.max(0, width) * 10 + (f.charAt(j) - '0');
                j++;
            }
            if (j >= f.length()) {
                out.append(f, i, f.length());
                break;
            }
            String v = directive(t, f.charAt(j), flag, width);
            if (v == null) {
                out.append(f, i, j + 1);
            } else {
                out.append(upper ? v.toUpperCase(Locale.ROOT) : v);
            }
            i = j;
        }
        return out.toString();
    }

    private static String directive(ZonedDateTime t, char d, char flag, int width) {
        return switch (d) {
            case 'Y' -> pad(t.getYear(), flag, width, 1, '0');
            case 'C' -> pad(t.getYear() / 100, flag, width, 2, '0');
            case 'y' -> pad(t.getYear() % 100, flag, width, 2, '0');
            case 'm' -> pad(t.getMonthValue(), flag, width, 2, '0');
            case 'd' -> pad(t.getDayOfMonth(), flag, width, 2, '0');
            case 'e' -> pad(t.getDayOfMonth(), flag, width, 2, ' ');
            case 'j' -> pad(t.getDayOfYear(), flag, width, 3, '0');
            case 'H' -> pad(t.getHour(), flag, width, 2, '0');
            case 'k' -> pad(t.getHour(), flag, width, 2, ' ');
            case 'I' -> pad(hour12(t), flag, width, 2, '0');
            case 'l' -> pad(hour12(t), flag, width, 2, ' ');
            case 'M' -> pad(t.getMinute(), flag, width, 2, '0');
            case 'S' -> pad(t.getSecond(), flag, width, 2, '0');
            case 'L' -> pad(t.getNano() / 1_000_000, flag, width, 3, '0');
            case 'N' -> pad(t.getNano(), flag, width, 9, '0');
            case 'u' -> String.valueOf(t.getDayOfWeek().getValue());
            case 'w' -> String.valueOf(t.getDayOfWeek().getValue() % 7);
            case 'U' -> pad((t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7, flag, width, 2, '0');
            case 'W' -> pad((t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7, flag, width, 2, '0');
            case 'V' -> pad(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), flag, width, 2, '0');
            case 'G' -> String.valueOf(t.get(IsoFields.WEEK_BASED_YEAR));
            case 'a' -> DAYS[t.getDayOfWeek().getValue() - 1].substring(0, 3);
            case 'A' -> DAYS[t.getDayOfWeek().getValue() - 1];
            case 'b', 'h' -> MONTHS[t.getMonthValue() - 1].substring(0, 3);
            case 'B' -> MONTHS[t.getMonthValue() - 1];
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'P' -> t.getHour() < 12 ? "am" : "pm";
            case 'z' -> offset(t.getOffset());
            case 'Z' -> t.getZone() instanceof ZoneOffset o && o.getTotalSeconds() == 0 ? "UTC"
                    : t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 's' -> String.valueOf(t.toEpochSecond());
            case 'F' -> format(t, "%Y-%m-%d");
            case 'D', 'x' -> format(t, "%m/%d/%y");
            case 'T', 'X' -> format(t, "%H:%M:%S");
            case 'R' -> format(t, "%H:%M");
            case 'r' -> format(t, "%I:%M:%S %p");
            case 'c' -> format(t, "%a %b %e %H:%M:%S %Y");
            case 'n' -> "\n";
            case 't' -> "\t";
            case '%' -> "%";
            default -> null;
        };
    }

    private static int hour12(ZonedDateTime t) {
        int h = t.get(ChronoField.HOUR_OF_AMPM);
        return h == 0 ? 12 : h;
    }

    private static String offset(ZoneOffset o) {
        int s = o.getTotalSeconds();
        int a = Math.abs(s);
        return String.format("%s%02d%02d", s < 0 ? "-" : "+", a / 3600, (a / 60) % 60);
    }

    private static String pad(long v, char flag, int width, int defaultWidth, char defaultPad) {
        String s = String.valueOf(Math.abs(v));
        if (flag == '-') {
            return (v < 0 ? "-" : "") + s;
        }
        char p = flag == '_' ? ' ' : flag == '0' ? '0' : defaultPad;
        int w = width >= 0 ? width : defaultWidth;
        StringBuilder b = new StringBuilder();
        if (v < 0) {
            b.append('-');
        }
        for (int k = s.length() + (v < 0 ? 1 : 0); k < w; k++) {
            b.append(p);
        }
        return b.append(s).toString();
    }
}

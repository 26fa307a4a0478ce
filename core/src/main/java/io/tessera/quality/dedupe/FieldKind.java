package io.tessera.quality.dedupe;

import java.util.Locale;

/**
 * What a column of a person record holds, which decides how two values are compared, into how
 * many agreement levels, and which blocking keys it feeds. Guessed from the column name
 * ({@link #guess}) unless configured.
 */
public enum FieldKind {
    /** Given/first name: Jaro-Winkler levels plus phonetic agreement. */
    GIVEN_NAME(4),
    /** Surname/family name: as {@link #GIVEN_NAME}; feeds the phonetic blocking keys. */
    SURNAME(4),
    /** Free text (street, suburb, city, full name): exact, Jaro-Winkler or token-set levels. */
    TEXT(4),
    /** A date (any format; compared on its digits): exact, one or two edits, day/month swapped. */
    DATE(4),
    /** Postcode / ZIP: exact or one edit; feeds blocking together with names. */
    POSTCODE(3),
    /** A short code such as a street number: exact or one edit. */
    CODE(3),
    /** A near-unique identifier (national id, customer number): exact or one edit; a blocking key of its own. */
    IDENTIFIER(3),
    /** An email address (case-insensitive): exact, or close; a blocking key of its own. */
    EMAIL(3),
    /** A phone number (compared on its digits): exact, or same last 8 digits; a blocking key of its own. */
    PHONE(3),
    /** A low-cardinality label (state, gender): equal or not. */
    CATEGORY(2),
    /** Not compared. */
    IGNORE(0);

    /** Number of agreement levels, 0 (disagree) to {@code levels - 1} (exact). */
    public final int levels;

    FieldKind(int levels) {
        this.levels = levels;
    }

    /** The kind a column name suggests ("given_name", "DOB", "zip", "soc_sec_id", …); TEXT when nothing fits. */
    public static FieldKind guess(String column) {
        String c = column.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (c.contains("given") || c.contains("first") || c.contains("forename")) {
            return GIVEN_NAME;
        }
        if (c.contains("surname") || c.contains("last") || c.contains("family")) {
            return SURNAME;
        }
        if (c.contains("mail")) {
            return EMAIL;
        }
        if (c.contains("phone") || c.contains("mobile") || c.contains("tel")) {
            return PHONE;
        }
        if (c.contains("dob") || c.contains("birth") || c.contains("date")) {
            return DATE;
        }
        if (c.contains("postcode") || c.contains("zip") || c.contains("postal")) {
            return POSTCODE;
        }
        if (c.contains("ssn") || c.contains("soc") || c.contains("passport") || c.contains("national")
                || c.contains("tax") || c.endsWith("id")) {
            return IDENTIFIER;
        }
        if (c.contains("number") || c.endsWith("no")) {
            return CODE;
        }
        if (c.equals("state") || c.contains("gender") || c.equals("sex") || c.contains("country")) {
            return CATEGORY;
        }
        return TEXT;
    }
}

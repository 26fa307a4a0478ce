package io.tessera.quality;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/**
 * Phone numbers to E.164 ({@code +61412345678}) with libphonenumber; numbers without a country
 * code are read in {@code defaultRegion} (ISO 3166 alpha-2, e.g. "US"). A number that parses but
 * is not a valid number of its region is invalid. Thread-safe.
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private final String defaultRegion;

    public PhoneNumbers(String defaultRegion) {
        if (!UTIL.getSupportedRegions().contains(defaultRegion)) {
            throw new IllegalArgumentException("unknown phone region '" + defaultRegion + "' (use ISO 3166 alpha-2, e.g. US)");
        }
        this.defaultRegion = defaultRegion;
    }

    public FieldOutcome check(String raw) {
        try {
            Phonenumber.PhoneNumber n = UTIL.parse(raw, defaultRegion);
            if (!UTIL.isValidNumber(n)) {
                return new FieldOutcome.Invalid("invalid_phone", "'" + raw + "' is not a valid phone number (default region " + defaultRegion + ")");
            }
            return FieldOutcome.Valid.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return new FieldOutcome.Invalid("invalid_phone", "'" + raw + "' is not a phone number: " + e.getMessage());
        }
    }
}

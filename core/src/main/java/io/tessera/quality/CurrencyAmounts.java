package io.tessera.quality;

import io.tessera.event.JsonValues;
import java.util.Currency;
import java.util.Locale;

/**
 * ISO 4217 currency codes (upper-cased; unknown codes invalid) and money amounts as exact
 * decimals (numeric strings such as {@code "19.90"} become numbers; non-numbers are invalid).
 * Stateless.
 */
public final class CurrencyAmounts {
    private CurrencyAmounts() {}

    public static FieldOutcome currency(Object raw) {
        String code = String.valueOf(raw).strip().toUpperCase(Locale.ROOT);
        if (code.length() == 3 && Currency.getAvailableCurrencies().stream().anyMatch(c -> c.getCurrencyCode().equals(code))) {
            return FieldOutcome.Valid.of(code);
        }
        return new FieldOutcome.Invalid("invalid_currency", "'" + raw + "' is not an ISO 4217 currency code");
    }

    public static FieldOutcome amount(Object raw) {
        if (raw instanceof Boolean) {
            return new FieldOutcome.Invalid("invalid_amount", "'" + raw + "' is not an amount");
        }
        return JsonValues.asDecimal(raw).<FieldOutcome>map(FieldOutcome.Valid::of)
                .orElseGet(() -> new FieldOutcome.Invalid("invalid_amount", "'" + raw + "' is not a decimal amount"));
    }
}

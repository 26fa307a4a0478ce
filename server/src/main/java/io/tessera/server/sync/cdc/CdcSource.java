package io.tessera.server.sync.cdc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One change-data-capture source: a PostgreSQL table of customers whose rows become profiles.
 *
 * @param name         the source name (message ids {@code cdc:{name}:…}, quarantine source {@code cdc:{name}})
 * @param url          JDBC URL of the CRM database (its server must run with {@code wal_level=logical})
 * @param table        the table, optionally schema-qualified ({@code crm.customers})
 * @param keyColumn    the column whose value is the profile's userId
 * @param traits       column → trait name; empty: every other column under its own name
 * @param slot         the logical replication slot (created on first start; it keeps the confirmed position)
 * @param publication  the publication (created on first start {@code FOR TABLE table} if missing)
 * @param deletedTrait the trait set to {@code true} when the row is deleted
 */
public record CdcSource(String name, String url, String user, String password, String table, String keyColumn,
                        Map<String, String> traits, String slot, String publication, String deletedTrait) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public CdcSource {
        traits = Map.copyOf(traits);
        for (String id : new String[] {slot, publication, keyColumn}) {
            if (!IDENTIFIER.matcher(id).matches()) {
                throw new IllegalArgumentException("cdc: '" + id + "' is not a plain SQL identifier");
            }
        }
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw new IllegalArgumentException("cdc.table: '" + table + "' is not a table name (schema.table or table)");
        }
    }

    /** The table name without its schema. */
    String tableName() {
        return table.substring(table.indexOf('.') + 1);
    }

    /** The schema, when the table name has one. */
    Optional<String> schema() {
        int dot = table.indexOf('.');
        return dot < 0 ? Optional.empty() : Optional.of(table.substring(0, dot));
    }

    /**
     * The source configured by the {@code cdc.*} settings, or empty when {@code cdc.url} is not set:
     * {@code cdc.url}, {@code cdc.user}, {@code cdc.password}, {@code cdc.table} (required),
     * {@code cdc.key-column} ({@code id}), {@code cdc.traits} ({@code email=email,first_name=firstName};
     * empty: all columns), {@code cdc.slot} / {@code cdc.publication} ({@code tessera_cdc}),
     * {@code cdc.name} ({@code crm}), {@code cdc.deleted-trait} ({@code crm_deleted}).
     */
    public static Optional<CdcSource> fromSettings(Function<String, Optional<String>> setting) {
        Optional<String> url = setting.apply("cdc.url").filter(u -> !u.isBlank());
        if (url.isEmpty()) {
            return Optional.empty();
        }
        Function<String, String> or = k -> setting.apply("cdc." + k).filter(v -> !v.isBlank()).orElse("");
        String table = or.apply("table");
        if (table.isEmpty()) {
            throw new IllegalArgumentException("cdc.url is set but cdc.table is not");
        }
        Map<String, String> traits = new LinkedHashMap<>();
        for (String pair : or.apply("traits").split(",")) {
            if (!pair.isBlank()) {
                String[] kv = pair.split("=", 2);
                traits.put(kv[0].strip(), (kv.length == 2 ? kv[1] : kv[0]).strip());
            }
        }
        return Optional.of(new CdcSource(or.apply("name").isEmpty() ? "crm" : or.apply("name"), url.get(), or.apply("user"),
                or.apply("password"), table, or.apply("key-column").isEmpty() ? "id" : or.apply("key-column"), traits,
                or.apply("slot").isEmpty() ? "tessera_cdc" : or.apply("slot"),
                or.apply("publication").isEmpty() ? "tessera_cdc" : or.apply("publication"),
                or.apply("deleted-trait").isEmpty() ? "crm_deleted" : or.apply("deleted-trait")));
    }
}

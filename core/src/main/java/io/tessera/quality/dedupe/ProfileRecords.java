package io.tessera.quality.dedupe;

import io.tessera.event.JsonValues;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Profiles as dedupe records: the CRM traits of the tracking-API spec (firstName, lastName,
 * email, phone, birthday, address.street/city/postalCode/state) become columns whose names let
 * {@link FieldKind#guess} pick the right comparison; the record id is the profile id. Columns no
 * profile has are left out. Stateless.
 */
public final class ProfileRecords {
    private static final List<String[]> COLUMNS = List.of(
            new String[] {"first_name", "firstName"}, new String[] {"last_name", "lastName"},
            new String[] {"email", "email"}, new String[] {"phone", "phone"}, new String[] {"birth_date", "birthday"},
            new String[] {"street", "address.street"}, new String[] {"city", "address.city"},
            new String[] {"postcode", "address.postalCode"}, new String[] {"state", "address.state"});

    private ProfileRecords() {}

    public static RecordTable table(List<Profile> profiles) {
        List<String> ids = profiles.stream().map(Profile::id).toList();
        List<List<String>> all = new ArrayList<>();
        boolean[] used = new boolean[COLUMNS.size()];
        for (Profile p : profiles) {
            Map<String, Object> traits = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, TraitValue> t : p.traits().entrySet()) {
                traits.put(t.getKey(), t.getValue().value());
            }
            List<String> row = new ArrayList<>(COLUMNS.size());
            for (int c = 0; c < COLUMNS.size(); c++) {
                Object v = JsonValues.at(traits, COLUMNS.get(c)[1]).orElse("");
                String s = v instanceof Map || v instanceof List ? "" : String.valueOf(v);
                used[c] |= !s.isBlank();
                row.add(s);
            }
            all.add(row);
        }
        List<String> columns = new ArrayList<>();
        List<Integer> keep = new ArrayList<>();
        for (int c = 0; c < COLUMNS.size(); c++) {
            if (used[c]) {
                columns.add(COLUMNS.get(c)[0]);
                keep.add(c);
            }
        }
        List<List<String>> rows = all.stream().map(r -> keep.stream().map(r::get).toList()).toList();
        return RecordTable.of(columns, ids, rows);
    }
}

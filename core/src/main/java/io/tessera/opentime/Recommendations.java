package io.tessera.opentime;

import java.util.List;

/** Port: recommended product ids for a profile, best first ({@link DataClass#RECOMMENDATIONS}). */
public interface Recommendations {

    SourceAnswer<List<String>> recommend(String profileId, int limit);
}

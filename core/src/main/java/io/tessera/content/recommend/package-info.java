/**
 * Recommendations: {@link io.tessera.content.recommend.CoOccurrenceModel} (time-decayed item
 * co-occurrence, popular-in-category and popular-overall fallbacks, exclusions of bought and
 * out-of-stock items, exposed to templates as a list), the {@link io.tessera.content.recommend.Catalog}
 * it reads item facts from, and {@link io.tessera.content.recommend.OfflineEvaluation} (time-split
 * hit rate@k and NDCG@k against popularity).
 */
package io.tessera.content.recommend;

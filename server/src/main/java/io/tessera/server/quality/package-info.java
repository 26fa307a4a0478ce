/**
 * The data-quality admin API: tracking plans, the quarantine (list, show, replay, discard), the
 * data dictionary and fuzzy duplicate profiles ({@link io.tessera.server.quality.QualityRoutes}).
 */
package io.tessera.server.quality;

/**
 * Lint: {@link io.tessera.content.lint.EmailLint} checks rendered HTML against the caniemail
 * support tables ({@link io.tessera.content.lint.CanIEmail}), warns before Gmail's 102 KB
 * clipping, and checks fallback coverage of a template version.
 */
package io.tessera.content.lint;

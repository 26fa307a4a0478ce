/** Sync in: scheduled pulls from REST endpoints (and their admin API). */
package io.tessera.server.sync;

/**
 * How a node is deployed: {@code mode: embedded} (one process, SQLite) or {@code mode: cluster}
 * (N identical nodes on Kafka and PostgreSQL). {@link io.tessera.server.cluster.Deployment} reads
 * and checks the settings and opens the event log of the mode; docs/SCALE-OUT.md is the guide.
 */
package io.tessera.server.cluster;

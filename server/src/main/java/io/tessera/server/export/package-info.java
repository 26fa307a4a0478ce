/** Export of the event log for the warehouse / data lake: Parquet files partitioned by day. */
package io.tessera.server.export;

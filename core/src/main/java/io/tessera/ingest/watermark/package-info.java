/**
 * Incremental imports: a file or directory imported again and again takes only the records at or
 * after the watermark of its import source (the greatest value of a configured column seen so far,
 * saved only after a whole run is durable). Records at the boundary are taken again and recognised
 * as duplicates by their message ids, so none is lost and none is doubled.
 */
package io.tessera.ingest.watermark;

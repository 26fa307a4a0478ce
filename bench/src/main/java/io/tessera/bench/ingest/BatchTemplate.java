package io.tessera.bench.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One {@code /v1/batch} body of {@link IngestLoad#EVENTS_PER_BATCH} realistic events, reused for
 * every request of a connection with its messageIds rewritten in place: each id ends in a
 * fixed-width decimal counter, so producing the next unique batch touches only those digits.
 * Single-threaded (one per connection).
 */
final class BatchTemplate {
    private static final String[] EVENTS = {"Product Viewed", "Product Added", "Products Searched", "Checkout Started", "Order Completed"};
    private static final String[] CATEGORIES = {"shoes", "apparel", "gear", "outdoor", "kids"};
    private final byte[] body;
    private final int[] idOffsets;
    private long counter;

    BatchTemplate(String prefix) {
        Random r = new Random(prefix.hashCode());
        StringBuilder b = new StringBuilder(64 * 1024).append("{\"batch\":[");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < IngestLoad.EVENTS_PER_BATCH; i++) {
            int user = r.nextInt(100_000);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"messageId\":\"").append(prefix).append('-');
            offsets.add(b.length());
            b.append("0".repeat(IngestLoad.ID_DIGITS)).append('"');
            if (i % 20 == 0) {
                b.append(",\"type\":\"identify\",\"userId\":\"user-").append(user).append("\",\"traits\":{\"email\":\"user-").append(user)
                        .append("@example.com\",\"firstName\":\"Sam\",\"plan\":\"").append(r.nextBoolean() ? "pro" : "free").append("\"}");
            } else if (i % 10 == 5) {
                b.append(",\"type\":\"page\",\"anonymousId\":\"anon-").append(user).append("\",\"name\":\"Product\",\"properties\":{\"path\":\"/p/")
                        .append(r.nextInt(500)).append("\",\"referrer\":\"https://www.google.com/\",\"title\":\"Trail Runner Shoes\"}");
            } else {
                String event = EVENTS[r.nextInt(EVENTS.length)];
                b.append(",\"type\":\"track\",\"userId\":\"user-").append(user).append("\",\"event\":\"").append(event)
                        .append("\",\"properties\":{\"product_id\":\"sku-").append(r.nextInt(5_000)).append("\",\"name\":\"Trail Runner Shoes\",\"category\":\"")
                        .append(CATEGORIES[r.nextInt(CATEGORIES.length)]).append("\",\"price\":").append(10 + r.nextInt(200)).append(".99,\"quantity\":1,\"currency\":\"USD\"}");
            }
            b.append(",\"context\":{\"ip\":\"203.0.113.").append(r.nextInt(255)).append("\",\"userAgent\":\"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15\",")
                    .append("\"library\":{\"name\":\"analytics-node\",\"version\":\"3.0.0\"},\"locale\":\"en-US\"},\"timestamp\":\"2026-11-28T10:")
                    .append(String.format("%02d:%02d", r.nextInt(60), r.nextInt(60))).append(".000Z\"}");
        }
        b.append("],\"sentAt\":\"2026-11-28T10:59:59.000Z\"}");
        this.body = b.toString().getBytes(StandardCharsets.UTF_8);
        this.idOffsets = offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    byte[] body() {
        return body;
    }

    /** The body with fresh messageIds; the same array, rewritten. */
    byte[] next() {
        for (int offset : idOffsets) {
            long v = counter++;
            for (int d = IngestLoad.ID_DIGITS - 1; d >= 0; d--) {
                body[offset + d] = (byte) ('0' + v % 10);
                v /= 10;
            }
        }
        return body;
    }
}

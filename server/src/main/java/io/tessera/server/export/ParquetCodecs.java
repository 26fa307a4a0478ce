package io.tessera.server.export;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page compression without a Hadoop runtime. parquet-java's own codec factory builds a
 * Hadoop {@code Configuration} (and with it Hadoop's shaded XML stack, ~30 MB we do not ship) even
 * for codecs that need none of it; this factory calls the codec libraries directly, in the block
 * formats the Parquet spec fixes for each codec: raw Snappy blocks (snappy-java), Zstandard frames
 * (zstd-jni), gzip members (the JDK). Stateless and thread-safe.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
    /** The codecs this factory supports. */
    public static boolean supports(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED, SNAPPY, ZSTD, GZIP -> true;
            default -> false;
        };
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        requireSupported(codec);
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                byte[] in = bytes.toByteArray();
                return switch (codec) {
                    case UNCOMPRESSED -> bytes;
                    case SNAPPY -> BytesInput.from(Snappy.compress(in));
                    case ZSTD -> BytesInput.from(Zstd.compress(in, 3));
                    default -> BytesInput.from(gzip(in));
                };
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        requireSupported(codec);
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                byte[] in = bytes.toByteArray();
                return switch (codec) {
                    case UNCOMPRESSED -> bytes;
                    case SNAPPY -> BytesInput.from(Snappy.uncompress(in));
                    case ZSTD -> BytesInput.from(Zstd.decompress(in, uncompressedSize));
                    default -> BytesInput.from(new GZIPInputStream(new ByteArrayInputStream(in)).readNBytes(uncompressedSize));
                };
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public void release() {
    }

    private static void requireSupported(CompressionCodecName codec) {
        if (!supports(codec)) {
            throw new IllegalArgumentException("unsupported Parquet codec " + codec + " (snappy, zstd, gzip or none)");
        }
    }

    private static byte[] gzip(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 2 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(in);
        }
        return out.toByteArray();
    }
}

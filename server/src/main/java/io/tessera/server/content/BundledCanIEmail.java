package io.tessera.server.content;

import io.tessera.content.lint.CanIEmail;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The caniemail support tables bundled in the jar ({@code caniemail.tsv} beside this class, with
 * {@code caniemail-LICENSE.txt}: MIT, © hteumeuleu/caniemail contributors), so lint works from
 * {@code tessera.jar} alone. The file is derived from the shared data set
 * ({@code shared/data/caniemail/features}, commit 6b086a3) by {@link #main}; a test fails when
 * the two drift apart. Stateless.
 */
public final class BundledCanIEmail {

    static final String RESOURCE = "caniemail.tsv";

    private BundledCanIEmail() {
    }

    /** The bundled tables. */
    public static CanIEmail load() {
        try (InputStream in = BundledCanIEmail.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no " + RESOURCE + " (a packaging bug)");
            }
            return CanIEmail.fromCompact(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tables read from a caniemail {@code features/} folder. */
    public static CanIEmail fromFeaturesDir(Path features) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> s = Files.list(features)) {
            for (Path p : s.toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        return CanIEmail.parse(files);
    }

    /**
     * Regenerates the bundled file: {@code java -cp … io.tessera.server.content.BundledCanIEmail
     * ../shared/data/caniemail/features server/src/main/resources/io/tessera/server/content/caniemail.tsv}.
     */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[1]), fromFeaturesDir(Path.of(args[0])).toCompact());
    }
}

package io.tessera.server.cli;

import io.tessera.server.SigningKeyRing;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera keys list|rotate|retire ID}: the signing keys of tracking and open-time links in
 * the data directory's {@code secrets.properties} (see {@link SigningKeyRing}). A rotation takes
 * effect at the node's next start; retire a key once the longest link lifetime has passed.
 */
@Command(name = "keys", description = "Signing keys of tracking and open-time links.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Retire.class})
public final class KeysCommand {

    static Path dataDir(Optional<Path> dir) {
        return dir.orElse(Path.of("tessera-data"));
    }

    @Command(name = "list", description = "Key ids, the signing key first.")
    static final class ListKeys implements Callable<Integer> {
        @Option(names = "--data-dir", description = "data directory (default ./tessera-data)")
        Optional<Path> dataDir;

        @Override
        public Integer call() {
            SigningKeyRing.ids(dataDir(dataDir)).forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "rotate", description = "Add a new signing key; older keys keep verifying.")
    static final class Rotate implements Callable<Integer> {
        @Option(names = "--data-dir", description = "data directory (default ./tessera-data)")
        Optional<Path> dataDir;

        @Override
        public Integer call() {
            String id = SigningKeyRing.rotate(dataDir(dataDir), Instant.now());
            System.out.println("new signing key " + id + " (effective at the next start)");
            return 0;
        }
    }

    @Command(name = "retire", description = "Remove an older key: links signed with it stop working.")
    static final class Retire implements Callable<Integer> {
        @Option(names = "--data-dir", description = "data directory (default ./tessera-data)")
        Optional<Path> dataDir;
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            SigningKeyRing.retire(dataDir(dataDir), id);
            System.out.println("retired " + id);
            return 0;
        }
    }
}

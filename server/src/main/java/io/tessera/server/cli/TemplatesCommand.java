package io.tessera.server.cli;

import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailTemplate;
import io.tessera.content.SegmentContentConditions;
import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.server.content.TemplateDirectory;
import io.tessera.store.sqlite.SqliteTemplateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera templates sync DIR}: loads every template directory under DIR (see
 * {@link TemplateDirectory}) and stores each one whose content changed as a new immutable version.
 * A template that does not compile is reported and skipped; exit code 1 if any was.
 */
@Command(name = "templates", description = "Manage email templates.", subcommands = TemplatesCommand.Sync.class)
public final class TemplatesCommand {

    @Command(name = "sync", description = "Store the templates of DIR as new versions when they changed.")
    static final class Sync implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Option(names = "--data-dir", description = "data directory (default ./tessera-data)")
        Optional<Path> dataDir;

        @Override
        public Integer call() throws Exception {
            Path data = dataDir.orElse(Path.of("tessera-data"));
            Files.createDirectories(data);
            SqliteTemplateStore store = new SqliteTemplateStore(data.resolve("tessera.db"));
            EmailCompiler compiler = new EmailCompiler(LiquidEngine.email(SnippetSource.NONE, EmailFilters.Settings.DEFAULTS),
                    new SegmentContentConditions());
            int failed = 0;
            for (EmailTemplate t : TemplateDirectory.loadAll(dir, 0)) {
                if (compiler.compile(t) instanceof EmailCompiler.Verdict.Invalid i) {
                    System.err.println(t.key() + ": does not compile:\n  " + String.join("\n  ", i.problems()));
                    failed++;
                    continue;
                }
                Optional<EmailTemplate> latest = store.latest(t.key());
                if (latest.isPresent() && same(latest.get(), t)) {
                    System.out.println(t.key() + ": unchanged (version " + latest.get().version() + ")");
                } else {
                    System.out.println(t.key() + ": saved version " + store.save(t).version());
                }
            }
            return failed == 0 ? 0 : 1;
        }

        private static boolean same(EmailTemplate a, EmailTemplate b) {
            return a.subject().equals(b.subject()) && a.preheader().equals(b.preheader()) && a.format() == b.format()
                    && a.layout().equals(b.layout()) && a.blocks().equals(b.blocks()) && a.amp().equals(b.amp());
        }
    }
}

package io.tessera.server.cli;

import io.tessera.content.EmailCompiler;
import io.tessera.content.EmailTemplate;
import io.tessera.content.SegmentContentConditions;
import io.tessera.content.liquid.EmailFilters;
import io.tessera.content.liquid.LiquidEngine;
import io.tessera.content.liquid.SnippetSource;
import io.tessera.server.content.TemplateDirectory;
import io.tessera.server.content.BlockRoutes;
import io.tessera.store.sqlite.SqliteBlockStore;
import io.tessera.store.sqlite.SqliteTemplateStore;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera templates sync DIR}: stores each library block under {@code DIR/blocks/} whose
 * content changed as a new block version, then every template directory under DIR (see
 * {@link TemplateDirectory}; {@code {"ref": "key"}} blocks resolved from the library) whose content
 * changed as a new immutable template version.
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
            SqliteBlockStore library = new SqliteBlockStore(data.resolve("tessera.db"));
            for (EmailTemplate.Block b : TemplateDirectory.loadBlocks(dir)) {
                Optional<EmailTemplate.Block> latest = library.latest(b.key());
                if (latest.isPresent() && sameBlock(latest.get(), b)) {
                    System.out.println("block " + b.key() + ": unchanged (version " + latest.get().version() + ")");
                } else {
                    System.out.println("block " + b.key() + ": saved version " + library.save(b).version());
                }
            }
            List<EmailTemplate> templates = new ArrayList<>();
            try (var dirs = Files.list(dir)) {
                for (Path d : dirs.filter(TemplateDirectory::isTemplate).sorted().toList()) {
                    try {
                        templates.add(TemplateDirectory.load(d, 0, ref -> BlockRoutes.resolve(library, ref)
                                .orElseThrow(() -> new IllegalArgumentException("no library block " + ref))));
                    } catch (IllegalArgumentException e) {
                        System.err.println(d.getFileName() + ": " + e.getMessage());
                        failed++;
                    }
                }
            }
            for (EmailTemplate t : templates) {
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

        private static boolean sameBlock(EmailTemplate.Block a, EmailTemplate.Block b) {
            return a.inputs().equals(b.inputs()) && a.variants().equals(b.variants()) && a.body().equals(b.body())
                    && a.fallback().equals(b.fallback());
        }

        private static boolean same(EmailTemplate a, EmailTemplate b) {
            return a.subject().equals(b.subject()) && a.preheader().equals(b.preheader()) && a.format() == b.format()
                    && a.layout().equals(b.layout()) && a.blocks().equals(b.blocks()) && a.amp().equals(b.amp());
        }
    }
}

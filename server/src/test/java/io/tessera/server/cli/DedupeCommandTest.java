package io.tessera.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.server.Main;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tessera dedupe} as a user runs it: real CSV files in, an {@code id_a,id_b,score} file out. */
class DedupeCommandTest {
    private static final Path FEBRL = Path.of(System.getProperty("tessera.shared.data", "../shared/data"), "febrl");
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new java.io.PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void writesEveryAutoMergePairOfFebrl1AsIdsAndScore(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("pairs.csv");
        int exit = run("dedupe", FEBRL.resolve("dataset1.csv").toString(), "--id-column", "rec_id", "--pairs", out.toString());

        assertThat(exit).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.getFirst()).isEqualTo("id_a,id_b,score");
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
        assertThat(rows).allSatisfy(r -> assertThat(Double.parseDouble(r[2])).isBetween(0.9, 1.0));
        long correct = rows.stream().filter(r -> r[0].split("-")[1].equals(r[1].split("-")[1])).count();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(490);
        assertThat(correct).isGreaterThanOrEqualTo(rows.size() - 5);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("1000 records");
    }

    @Test
    void rejectsAFileWithoutTheIdColumnNamingTheHeader(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("people.csv");
        Files.writeString(in, "name,email\nAnn,ann@example.com\n");
        int exit = run("dedupe", in.toString(), "--id-column", "id", "--pairs", dir.resolve("out.csv").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no column named 'id'").contains("[name, email]");
        assertThat(dir.resolve("out.csv")).doesNotExist();
    }

    @Test
    void dedupeProfilesMergesTheStoredDuplicatesOfADataDirectory(@TempDir Path dir) throws Exception {
        Path people = dir.resolve("people.csv");
        Files.writeString(people, """
                userId,anonymousId,firstName,lastName,birthday
                crm-1,,Katherine,Smith,1980-03-14
                ,web-7,Kathrine,Smith,1980-03-14
                crm-3,,Oliver,Nguyen,1975-11-02
                """);
        Path data = dir.resolve("data");
        assertThat(run("import", people.toString(), "--data-dir", data.toString())).isZero();

        assertThat(run("dedupe", "--profiles", "--dry-run", "--data-dir", data.toString(), "--auto-merge", "0.5", "--review", "0.1")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("3 profiles, ").contains("reported=1").contains("3 profiles now");

        assertThat(run("dedupe", "--profiles", "--data-dir", data.toString(), "--auto-merge", "0.5", "--review", "0.1")).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("merged=1").contains("2 profiles now");
    }

    @Test
    void filesAndProfilesAreEitherOr(@TempDir Path dir) {
        assertThat(run("dedupe", "--profiles", "x.csv", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(run("dedupe", "x.csv")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not both").contains("--id-column and --pairs");
    }
}

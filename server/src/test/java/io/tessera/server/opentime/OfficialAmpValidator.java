package io.tessera.server.opentime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official AMP validator, run offline: the stock npm client {@code amphtml-validator} with the
 * validator engine {@code validator_wasm.js} that the npm package {@code next} (15.5.x) vendors in
 * {@code dist/compiled/amphtml-validator/}. The client alone would download the engine from the
 * AMP CDN at run time, which tests cannot reach; here both come from the npm registry, once, into
 * {@code target/amp-validator} ({@code npm install} and {@code npm pack}, then {@code tar}).
 *
 * <p>Not thread-safe (one install directory); tests use it from one thread.
 */
final class OfficialAmpValidator {
    static final Path DIR = Path.of("target", "amp-validator").toAbsolutePath();
    static final String ENGINE_PACKAGE = "next@15.5.29";
    static final String ENGINE_IN_PACKAGE = "package/dist/compiled/amphtml-validator/validator_wasm.js";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One document's verdict: {@code PASS} or {@code FAIL} with the validator's errors ({@code CODE line:col message}). */
    record Verdict(String name, String status, List<String> errors) {
        boolean passes() {
            return status.equals("PASS");
        }
    }

    private OfficialAmpValidator() {}

    static boolean npmAvailable() {
        return onPath("npm") && onPath("node") && onPath("tar");
    }

    /** Installs the client and the engine unless they are already in {@link #DIR}. */
    static void install() throws Exception {
        Files.createDirectories(DIR);
        for (String f : List.of("package.json", "validate.js")) {
            try (InputStream in = OfficialAmpValidator.class.getResourceAsStream("/amp-validator/" + f)) {
                Files.copy(in, DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/amphtml-validator"))) {
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), 300);
        }
        if (!Files.isRegularFile(DIR.resolve(ENGINE_IN_PACKAGE))) {
            run(List.of("npm", "pack", "--loglevel=error", ENGINE_PACKAGE), 300);
            try (var tgz = Files.list(DIR)) {
                String archive = tgz.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("next-") && n.endsWith(".tgz"))
                        .findFirst().orElseThrow(() -> new AssertionError("npm pack " + ENGINE_PACKAGE + " left no archive"));
                run(List.of("tar", "-xzf", archive, ENGINE_IN_PACKAGE), 120);
                Files.delete(DIR.resolve(archive));
            }
        }
    }

    /** Validates each named document as {@code format} (e.g. {@code AMP4EMAIL}), in one node process. */
    static List<Verdict> validate(Map<String, String> documents, String format) throws Exception {
        Path docs = Files.createDirectories(DIR.resolve("documents"));
        Map<String, String> nameOfFile = new LinkedHashMap<>();
        List<String> command = new ArrayList<>(List.of("node", "validate.js", DIR.resolve(ENGINE_IN_PACKAGE).toString(), format));
        int i = 0;
        for (Map.Entry<String, String> d : documents.entrySet()) {
            Path f = docs.resolve("doc-" + i++ + ".html");
            Files.writeString(f, d.getValue(), StandardCharsets.UTF_8);
            nameOfFile.put(f.toString(), d.getKey());
            command.add(f.toString());
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (JsonNode r : JSON.readTree(run(command, 120))) {
            List<String> errors = new ArrayList<>();
            r.path("errors").forEach(e -> errors.add(e.path("code").asString() + " " + e.path("line").asInt() + ":"
                    + e.path("col").asInt() + " " + e.path("message").asString()));
            verdicts.add(new Verdict(nameOfFile.get(r.path("file").asString()), r.path("status").asString(), errors));
        }
        return verdicts;
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(List<String> command, int timeoutSeconds) throws Exception {
        Path out = DIR.resolve("last-command.out");
        Path err = DIR.resolve("last-command.err");
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command.subList(0, 2) + " timed out:\n" + Files.readString(err));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(command.subList(0, 2) + " failed (" + p.exitValue() + "):\n" + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}

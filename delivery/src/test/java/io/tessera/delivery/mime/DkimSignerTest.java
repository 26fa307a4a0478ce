package io.tessera.delivery.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies our signatures with an independent implementation: dkimpy (Debian's python3-dkim),
 * given the public key in place of a DNS lookup. A JDK-only check of the RSA signature over the
 * header hash runs too, so the test still fails on a broken signature where dkimpy is missing.
 */
class DkimSignerTest {

    static KeyPair keys;

    @BeforeAll
    static void generateKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
    }

    static DkimSigner signer() {
        return new DkimSigner("shop.example", "tessera", keys.getPrivate());
    }

    static byte[] signedSample() {
        return new MimeAssembler(MimeAssemblerTest.CLOCK, Optional.of(signer()))
                .assemble(MimeAssemblerTest.sample(Optional.empty()));
    }

    @Test
    void signsRelaxedRelaxedRsaSha256OverFromAndListUnsubscribe() {
        String head = new String(signedSample(), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example; s=tessera;");
        Matcher h = Pattern.compile("h=([^;]+);").matcher(head);
        assertThat(h.find()).isTrue();
        assertThat(h.group(1).split(":")).contains("from", "subject", "message-id", "list-unsubscribe", "list-unsubscribe-post");
    }

    @Test
    void signatureVerifiesWithJdkPublicKeyOverCanonicalHeaders() throws Exception {
        byte[] signed = signedSample();
        String raw = new String(signed, StandardCharsets.ISO_8859_1);
        String block = raw.substring(0, raw.indexOf("\r\n\r\n") + 2);
        var headers = DkimSigner.parseHeaders(block);
        String sigValue = headers.get(0)[1];
        String b = sigValue.replaceAll("(?s).*b=", "").replaceAll("\\s", "");
        String unsigned = sigValue.replaceAll("(?s)b=[^;]*$", "b=");
        StringBuilder data = new StringBuilder();
        for (String name : sigValue.replaceAll("(?s)^.*?; h=([^;]+);.*$", "$1").split(":")) {
            headers.stream().skip(1).filter(x -> x[0].equalsIgnoreCase(name)).findFirst()
                    .ifPresent(x -> data.append(DkimSigner.relaxedHeader(x[0], x[1])).append("\r\n"));
        }
        data.append(DkimSigner.relaxedHeader("DKIM-Signature", unsigned));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(keys.getPublic());
        rsa.update(data.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(rsa.verify(Base64.getDecoder().decode(b))).isTrue();
    }

    @Test
    void dkimpyVerifiesTheSignature(@TempDir Path dir) throws Exception {
        assertThat(dkimpy(dir, signedSample())).isEqualTo("True");
    }

    @Test
    void dkimpyRejectsAMessageChangedAfterSigning(@TempDir Path dir) throws Exception {
        String raw = new String(signedSample(), StandardCharsets.ISO_8859_1);
        byte[] tampered = raw.replace("Hello Ann & friends", "Hello Bob & friends").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(dkimpy(dir, tampered)).isEqualTo("False");
    }

    /** Runs Debian's python3-dkim on the message; the DNS lookup returns our public key. */
    static String dkimpy(Path dir, byte[] message) throws IOException, InterruptedException {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c", "import dkim")
                .start().waitFor() == 0, "python3-dkim (Debian) not installed");
        Path msg = dir.resolve("msg.eml");
        Files.write(msg, message);
        String pub = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
        String script = "import sys, dkim\n"
                + "msg = open(sys.argv[1], 'rb').read()\n"
                + "print(dkim.verify(msg, dnsfunc=lambda name, timeout=5: b'v=DKIM1; k=rsa; p=" + pub + "'))\n";
        Process p = new ProcessBuilder(python.toString(), "-c", script, msg.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out.lines().reduce((a, c) -> c).orElse("");
    }

    /** For other tests: verify a message as received by a server. */
    static String verifyWithDkimpy(Path dir, byte[] message) throws IOException, InterruptedException {
        return dkimpy(dir, message);
    }
}

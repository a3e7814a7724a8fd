package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.testing.LambdaApiServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** A signed client for the loopback Lambda endpoint, and zips that differ by their content. */
final class LambdaTesting {

    private LambdaTesting() {}

    static LambdaClient client(LambdaApiServer server) {
        return LambdaConnection.defaultChain(LambdaApiServer.REGION)
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG")))
                .withEndpoint(server.endpoint())
                .client();
    }

    /** A real zip holding one class-like entry whose text is {@code content}. */
    static byte[] zip(String content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry("orders/Handler.txt");
            e.setTime(0L); // the same content gives the same bytes, as a reproducible build does
            z.putNextEntry(e);
            z.write(content.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

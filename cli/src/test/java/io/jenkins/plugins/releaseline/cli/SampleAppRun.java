package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code release-line sample-app} running in this JVM on a folder of its own, driven as a pipeline drives it: files
 * in, HTTP out. {@link #close()} stops it with the {@code stop} file.
 */
final class SampleAppRun implements AutoCloseable {

    final Path dir;
    final String url;
    private final StringWriter out;
    private final StringWriter err;
    private final CompletableFuture<Integer> exit;

    private SampleAppRun(Path dir, String url, StringWriter out, StringWriter err, CompletableFuture<Integer> exit) {
        this.dir = dir;
        this.url = url;
        this.out = out;
        this.err = err;
        this.exit = exit;
    }

    /** Starts it on {@code dir} and waits until it has written its address. */
    static SampleAppRun start(Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ReleaseLine.run(new PrintWriter(out, true),
                new PrintWriter(err, true), "sample-app", "--dir", dir.toString(), "--max-time", "5m"));
        await(() -> Files.exists(dir.resolve("url")) || exit.isDone(), () -> "the url file; it printed:\n" + out + err);
        String url = exit.isDone() ? null : Files.readString(dir.resolve("url")).strip();
        return new SampleAppRun(dir, url, out, err, exit);
    }

    CompletableFuture<Integer> exit() {
        return exit;
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** Writes a file of the folder whole, as a finished {@code writeFile} leaves it. */
    void write(String name, String text) throws IOException {
        write(dir, name, text);
    }

    static void write(Path dir, String name, String text) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(name + ".writing");
        Files.writeString(tmp, text);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void awaitOut(String text) throws InterruptedException {
        await(() -> out().contains(text), () -> "'" + text + "' on standard output; it printed:\n" + out);
    }

    void awaitErr(String text) throws InterruptedException {
        await(() -> err().contains(text), () -> "'" + text + "' on standard error; it printed:\n" + err);
    }

    /** Stops it with the stop file; its exit code. */
    int stop() throws Exception {
        write("stop", "");
        return exit.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (!exit.isDone()) {
            stop();
        }
    }

    private static void await(Supplier<Boolean> condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.get()) {
            assertThat(System.nanoTime()).as(() -> "waiting for " + what.get()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}

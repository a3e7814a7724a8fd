package io.jenkins.plugins.releaseline.engine.rollout.router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One HAProxy Runtime API endpoint ({@code stats socket ... level admin}), a UNIX socket or a TCP address.
 * Each command opens a connection, sends one line and reads until HAProxy closes it (non-interactive mode),
 * all within {@code timeout}. Connection failures and timeouts are {@link RouterException#retryable() retryable}.
 */
public final class HaproxyRuntimeApi {

    private final SocketAddress address;
    private final Duration timeout;

    private HaproxyRuntimeApi(SocketAddress address, Duration timeout) {
        this.address = address;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: must be positive, was " + timeout);
        }
    }

    public static HaproxyRuntimeApi unix(Path socket, Duration timeout) {
        return new HaproxyRuntimeApi(UnixDomainSocketAddress.of(socket), timeout);
    }

    public static HaproxyRuntimeApi tcp(String host, int port, Duration timeout) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " is outside 1..65535");
        }
        return new HaproxyRuntimeApi(InetSocketAddress.createUnresolved(host, port), timeout);
    }

    /**
     * Parses {@code unix:/run/haproxy/admin.sock}, an absolute path, or {@code tcp:host:port} / {@code host:port}.
     */
    public static HaproxyRuntimeApi parse(String address, Duration timeout) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address: give the Runtime API socket, as unix:/run/haproxy/admin.sock or tcp:127.0.0.1:9999");
        }
        String a = address.strip();
        if (a.startsWith("unix:")) {
            return unix(Path.of(a.substring(5)), timeout);
        }
        if (a.startsWith("/")) {
            return unix(Path.of(a), timeout);
        }
        if (a.startsWith("tcp:")) {
            a = a.substring(4);
        }
        int colon = a.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address: '" + address + "' is neither unix:/path nor tcp:host:port");
        }
        try {
            return tcp(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)), timeout);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address: the port in '" + address + "' is not a number");
        }
    }

    /** Sends one command and returns HAProxy's whole answer. */
    public String execute(String command) {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0 || command.indexOf(';') >= 0) {
            throw new IllegalArgumentException("command: one command per call, without line breaks or ';'");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketAddress target = address instanceof InetSocketAddress i && i.isUnresolved()
                ? new InetSocketAddress(i.getHostString(), i.getPort()) : address;
        try (SocketChannel ch = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
             Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            if (!ch.connect(target)) {
                ch.register(selector, SelectionKey.OP_CONNECT);
                while (!ch.finishConnect()) {
                    awaitReady(selector, deadline, command);
                }
            }
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
            ch.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                if (ch.write(out) == 0) {
                    awaitReady(selector, deadline, command);
                }
            }
            ch.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(16 * 1024);
            while (true) {
                int n = ch.read(in);
                if (n < 0) {
                    return answer.toString(StandardCharsets.UTF_8);
                }
                if (n == 0) {
                    awaitReady(selector, deadline, command);
                    continue;
                }
                answer.write(in.array(), 0, in.position());
                in.clear();
            }
        } catch (IOException e) {
            throw new RouterException("HAProxy Runtime API at " + this + " unreachable for '" + command + "': " + e.getMessage(), true, e);
        }
    }

    private void awaitReady(Selector selector, long deadline, String command) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new RouterException("HAProxy Runtime API at " + this + " did not answer '" + command + "' within " + timeout.toMillis() + " ms", true);
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    @Override
    public String toString() {
        return address instanceof UnixDomainSocketAddress u ? "unix:" + u.getPath()
                : "tcp:" + ((InetSocketAddress) address).getHostString() + ":" + ((InetSocketAddress) address).getPort();
    }
}

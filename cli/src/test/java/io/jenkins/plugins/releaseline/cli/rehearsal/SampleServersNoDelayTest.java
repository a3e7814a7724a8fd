package io.jenkins.plugins.releaseline.cli.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The sample servers turn on TCP_NODELAY for the JDK HTTP server before their first server exists (the JDK reads the
 * property once); without it every keep-alive request waits for a delayed ACK. Speed itself is measured in
 * benchmarks/ (docs/benchmarks.md), not here.
 */
class SampleServersNoDelayTest {

    @Test
    void theSampleAppAndTheSlotsSetNoDelayBeforeTheirFirstServer() {
        // Loading the classes is enough: the property is set in their static initializers, before any HttpServer.
        assertThat(SampleApp.class.getName()).isNotEmpty();
        try (SampleApp app = SampleApp.start("stable", "1.0")) {
            assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
        }
        try (SampleSlots slots = SampleSlots.start(0)) {
            assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
        }
    }
}

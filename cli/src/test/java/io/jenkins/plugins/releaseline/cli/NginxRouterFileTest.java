package io.jenkins.plugins.releaseline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.testing.NginxServer;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An nginx router file keeps the upstream directives it names (keepalive) when the router rewrites the upstream. */
class NginxRouterFileTest {

    @TempDir Path folder;

    @Test
    void upstreamDirectivesFromTheRouterFileStayInTheRewrittenUpstream() throws Exception {
        try (TestApp blue = TestApp.start("blue", "1.0"); TestApp green = TestApp.start("green", "2.0")) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("blue", blue.port());
            ports.put("green", green.port());
            try (NginxServer nginx = NginxServer.start("app", ports, Map.of("blue", 1))) {
                Path file = folder.resolve("edge.properties");
                Files.writeString(file, String.join("\n",
                        "type=nginx", "name=edge", "prefix=" + nginx.prefix(), "config=" + nginx.config(),
                        "upstream-file=" + nginx.upstreamFile(), "upstream=app",
                        "servers=blue=127.0.0.1:" + blue.port() + ",green=127.0.0.1:" + green.port(),
                        "upstream-directives=keepalive 16; keepalive_timeout 30s", ""));

                TrafficRouter router = RouterOptions.fromFile(file, List.of("blue", "green"));
                router.apply(TrafficSplit.all("green", List.of("blue", "green")));

                assertThat(Files.readString(nginx.upstreamFile())).contains("keepalive 16;", "keepalive_timeout 30s;");
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(nginx.url())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.headers().firstValue(TestApp.COLOUR_HEADER)).hasValue("green");
            }
        }
    }
}

package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORFactory;
import software.amazon.awssdk.thirdparty.jackson.dataformat.cbor.CBORGenerator;

/**
 * A loopback HTTP endpoint that answers CloudWatch's {@code GetMetricData} the way the service does for the
 * AWS SDK for Java 2.57.8. That SDK's CloudWatch client speaks Smithy RPC v2 CBOR (its
 * {@code DefaultCloudWatchClient} builds a {@code SmithyRpcV2CborProtocolFactory}), not the older query/XML
 * protocol: {@code POST /service/GraniteServiceVersion20100801/operation/GetMetricData} with a CBOR body and
 * the header {@code smithy-protocol: rpc-v2-cbor}; the answer is CBOR with the same header, timestamps as
 * CBOR tag 1 (epoch seconds). Each query's result comes from {@code answer}, given the query's expression.
 */
final class CloudWatchEndpoint implements AutoCloseable {

    static final String PATH = "/service/GraniteServiceVersion20100801/operation/GetMetricData";
    private static final CBORFactory CBOR = new CBORFactory();

    /** One result: values (timestamps are made up one second apart), the status code and an optional next token. */
    record Answer(double[] values, String statusCode) {}

    final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final Function<String, Answer> answer;
    private final int pageSize;

    CloudWatchEndpoint(Function<String, Answer> answer, int pageSize) throws IOException {
        this.answer = answer;
        this.pageSize = pageSize;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> h = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), String.join(",", v)));
            headers.add(h);
            if (!"POST".equals(ex.getRequestMethod()) || !PATH.equals(ex.getRequestURI().getPath())
                    || !"rpc-v2-cbor".equals(h.get("smithy-protocol"))) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            Map<String, Object> request;
            try (JsonParser p = CBOR.createParser(body)) {
                p.nextToken();
                request = (Map<String, Object>) read(p);
            }
            requests.add(request);
            int page = request.get("NextToken") == null ? 0 : Integer.parseInt((String) request.get("NextToken"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean more = false;
            try (CBORGenerator g = (CBORGenerator) CBOR.createGenerator(out)) {
                g.writeStartObject();
                g.writeFieldName("MetricDataResults");
                g.writeStartArray();
                for (Object q : (List<Object>) request.get("MetricDataQueries")) {
                    Map<String, Object> query = (Map<String, Object>) q;
                    Answer a = answer.apply((String) query.get("Expression"));
                    int from = page * pageSize;
                    int to = Math.min(a.values().length, from + pageSize);
                    more |= to < a.values().length;
                    double start = ((Number) request.get("StartTime")).doubleValue();
                    g.writeStartObject();
                    g.writeStringField("Id", (String) query.get("Id"));
                    g.writeStringField("Label", (String) query.get("Id"));
                    g.writeFieldName("Timestamps");
                    g.writeStartArray();
                    for (int i = from; i < to; i++) {
                        g.writeTag(1);
                        g.writeNumber(start + i);
                    }
                    g.writeEndArray();
                    g.writeFieldName("Values");
                    g.writeStartArray();
                    for (int i = from; i < to; i++) {
                        g.writeNumber(a.values()[i]);
                    }
                    g.writeEndArray();
                    g.writeStringField("StatusCode", a.statusCode());
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (more) {
                    g.writeStringField("NextToken", Integer.toString(page + 1));
                }
                g.writeFieldName("Messages");
                g.writeStartArray();
                g.writeEndArray();
                g.writeEndObject();
            }
            byte[] bytes = out.toByteArray();
            ex.getResponseHeaders().set("Content-Type", "application/cbor");
            ex.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
            ex.getResponseHeaders().set("x-amzn-RequestId", "test-" + requests.size());
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    private static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, read(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE -> {
                return true;
            }
            case VALUE_FALSE -> {
                return false;
            }
            default -> {
                return null;
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.jenkins.plugins.releaseline.engine.rollout.router;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small HTTP endpoint on 127.0.0.1 speaking the ELBv2 Query protocol (form-encoded {@code Action=...}, XML answers)
 * for exactly the calls {@link AlbRouter} makes: DescribeListeners, DescribeRules, ModifyListener, ModifyRule and
 * DescribeTargetHealth. It keeps one listener and one rule whose forward actions hold weighted target groups, and
 * per target group the targets' health states. It is a stand-in for tests, not AWS: it checks that requests are
 * SigV4-signed but not the signature.
 */
final class ElbV2QueryEndpoint implements AutoCloseable {

    static final String NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

    final String listenerArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2";
    final String ruleArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    final Map<String, Integer> listenerWeights = new LinkedHashMap<>();
    final Map<String, Integer> ruleWeights = new LinkedHashMap<>();
    final Map<String, List<String>> targetStates = new LinkedHashMap<>();
    final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    volatile int failNextWith;

    private final HttpServer server;

    ElbV2QueryEndpoint(Map<String, Integer> initialWeights) throws IOException {
        listenerWeights.putAll(initialWeights);
        ruleWeights.putAll(initialWeights);
        initialWeights.keySet().forEach(tg -> targetStates.put(tg, new ArrayList<>(List.of("healthy", "healthy"))));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> form = parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            form.put("_authorization", auth == null ? "" : auth);
            requests.add(form);
            if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=")) {
                error(ex, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
                return;
            }
            if (failNextWith > 0) {
                int code = failNextWith;
                failNextWith = 0;
                error(ex, code, code >= 500 ? "InternalFailure" : "ValidationError", "injected failure " + code);
                return;
            }
            String action = form.getOrDefault("Action", "");
            switch (action) {
                case "DescribeListeners" -> {
                    if (!listenerArn.equals(form.get("ListenerArns.member.1"))) {
                        error(ex, 400, "ListenerNotFound", "One or more listeners not found");
                        return;
                    }
                    ok(ex, action, "<Listeners><member><ListenerArn>" + listenerArn + "</ListenerArn><Port>443</Port><Protocol>HTTPS</Protocol>"
                            + "<DefaultActions>" + forwardXml(listenerWeights) + "</DefaultActions></member></Listeners>");
                }
                case "DescribeRules" -> {
                    if (!ruleArn.equals(form.get("RuleArns.member.1"))) {
                        error(ex, 400, "RuleNotFound", "One or more rules not found");
                        return;
                    }
                    ok(ex, action, "<Rules><member><RuleArn>" + ruleArn + "</RuleArn><Priority>10</Priority><IsDefault>false</IsDefault>"
                            + "<Actions>" + forwardXml(ruleWeights) + "</Actions></member></Rules>");
                }
                case "ModifyListener" -> {
                    if (!listenerArn.equals(form.get("ListenerArn"))) {
                        error(ex, 400, "ListenerNotFound", "One or more listeners not found");
                        return;
                    }
                    if (!modify(form, "DefaultActions", listenerWeights, ex)) {
                        return;
                    }
                    ok(ex, action, "<Listeners><member><ListenerArn>" + listenerArn + "</ListenerArn><DefaultActions>"
                            + forwardXml(listenerWeights) + "</DefaultActions></member></Listeners>");
                }
                case "ModifyRule" -> {
                    if (!ruleArn.equals(form.get("RuleArn"))) {
                        error(ex, 400, "RuleNotFound", "One or more rules not found");
                        return;
                    }
                    if (!modify(form, "Actions", ruleWeights, ex)) {
                        return;
                    }
                    ok(ex, action, "<Rules><member><RuleArn>" + ruleArn + "</RuleArn><Actions>" + forwardXml(ruleWeights) + "</Actions></member></Rules>");
                }
                case "DescribeTargetHealth" -> {
                    List<String> states = targetStates.get(form.get("TargetGroupArn"));
                    if (states == null) {
                        error(ex, 400, "TargetGroupNotFound", "One or more target groups not found");
                        return;
                    }
                    StringBuilder sb = new StringBuilder("<TargetHealthDescriptions>");
                    for (int i = 0; i < states.size(); i++) {
                        sb.append("<member><Target><Id>i-0000000").append(i).append("</Id><Port>80</Port></Target><HealthCheckPort>80</HealthCheckPort>")
                                .append("<TargetHealth><State>").append(states.get(i)).append("</State></TargetHealth></member>");
                    }
                    ok(ex, action, sb.append("</TargetHealthDescriptions>").toString());
                }
                default -> error(ex, 400, "InvalidAction", "The action " + action + " is not valid for this endpoint");
            }
        }
    }

    /** Reads {@code <prefix>.member.1.ForwardConfig.TargetGroups.member.N.*}; refuses what ELBv2 would refuse. */
    private boolean modify(Map<String, String> form, String prefix, Map<String, Integer> weights, HttpExchange ex) throws IOException {
        String base = prefix + ".member.1.";
        if (!"forward".equals(form.get(base + "Type"))) {
            error(ex, 400, "ValidationError", "expected a forward action, got " + form.get(base + "Type"));
            return false;
        }
        Map<String, Integer> next = new LinkedHashMap<>();
        for (int i = 1; form.containsKey(base + "ForwardConfig.TargetGroups.member." + i + ".TargetGroupArn"); i++) {
            String tg = form.get(base + "ForwardConfig.TargetGroups.member." + i + ".TargetGroupArn");
            int w = Integer.parseInt(form.getOrDefault(base + "ForwardConfig.TargetGroups.member." + i + ".Weight", "1"));
            if (!targetStates.containsKey(tg)) {
                error(ex, 400, "TargetGroupNotFound", "Target group '" + tg + "' not found");
                return false;
            }
            if (w < 0 || w > 999) {
                error(ex, 400, "ValidationError", "Weight must be between 0 and 999");
                return false;
            }
            next.put(tg, w);
        }
        if (next.isEmpty()) {
            error(ex, 400, "ValidationError", "A forward action needs target groups");
            return false;
        }
        if (next.size() > 1 && form.containsKey(base + "TargetGroupArn")) {
            error(ex, 400, "ValidationError", "You cannot specify both a target group ARN and a forward config with several target groups");
            return false;
        }
        weights.clear();
        weights.putAll(next);
        return true;
    }

    private static String forwardXml(Map<String, Integer> weights) {
        StringBuilder sb = new StringBuilder("<member><Type>forward</Type><ForwardConfig><TargetGroups>");
        weights.forEach((tg, w) -> sb.append("<member><TargetGroupArn>").append(tg).append("</TargetGroupArn><Weight>").append(w)
                .append("</Weight></member>"));
        return sb.append("</TargetGroups><TargetGroupStickinessConfig><Enabled>false</Enabled></TargetGroupStickinessConfig>")
                .append("</ForwardConfig></member>").toString();
    }

    private static void ok(HttpExchange ex, String action, String result) throws IOException {
        send(ex, 200, "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result + "</" + action + "Result>"
                + "<ResponseMetadata><RequestId>7f1c0e3a-0000-4000-8000-000000000001</RequestId></ResponseMetadata></" + action + "Response>");
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        send(ex, status, "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code
                + "</Code><Message>" + message + "</Message></Error><RequestId>7f1c0e3a-0000-4000-8000-000000000002</RequestId></ErrorResponse>");
    }

    private static void send(HttpExchange ex, int status, String xml) throws IOException {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml");
        ex.getResponseHeaders().set("x-amzn-RequestId", "7f1c0e3a-0000-4000-8000-000000000001");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static Map<String, String> parse(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

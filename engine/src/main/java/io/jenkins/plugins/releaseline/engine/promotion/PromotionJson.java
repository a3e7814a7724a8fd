package io.jenkins.plugins.releaseline.engine.promotion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The JSON the ledger and the audit trail keep: gate verdicts, environment rules, promotions. */
final class PromotionJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PromotionJson() {}

    static String verdicts(List<GateVerdict> verdicts) {
        ArrayNode array = MAPPER.createArrayNode();
        for (GateVerdict v : verdicts) {
            array.addObject().put("gate", v.gate()).put("verdict", v.verdict().name()).put("reason", v.reason());
        }
        return write(array);
    }

    static List<GateVerdict> verdicts(String json) {
        if (json == null) {
            return List.of();
        }
        List<GateVerdict> out = new ArrayList<>();
        for (JsonNode n : read(json)) {
            out.add(new GateVerdict(n.path("gate").asText(), Verdict.valueOf(n.path("verdict").asText()), n.path("reason").asText()));
        }
        return out;
    }

    static String order(EnvironmentOrder order) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Environment e : order.environments()) {
            ObjectNode n = array.addObject();
            n.put("name", e.name());
            n.put("promotesFrom", e.promotesFrom());
            n.put("soakSeconds", e.soak().toSeconds());
            n.put("approvals", e.approvals().required());
            ArrayNode users = n.putArray("approvers");
            e.approvals().users().forEach(users::add);
            ArrayNode groups = n.putArray("approverGroups");
            e.approvals().groups().forEach(groups::add);
            n.put("separationOfDuties", e.approvals().separationOfDuties());
            n.put("deployLock", e.deployLock());
            n.put("lockPolicy", e.lockPolicy().name());
            ArrayNode branches = n.putArray("branches");
            e.branches().forEach(b -> branches.add(b.glob()));
            ArrayNode promoters = n.putArray("promoters");
            e.promoters().forEach(promoters::add);
        }
        return write(array);
    }

    static EnvironmentOrder order(String json) {
        List<Environment> list = new ArrayList<>();
        for (JsonNode n : read(json)) {
            List<BranchPattern> branches = new ArrayList<>();
            n.path("branches").forEach(b -> branches.add(new BranchPattern(b.asText())));
            list.add(new Environment(n.path("name").asText(), n.path("promotesFrom").isNull() ? null : n.path("promotesFrom").asText(null),
                    Duration.ofSeconds(n.path("soakSeconds").asLong()),
                    new ApprovalRule(n.path("approvals").asInt(), strings(n.path("approvers")), strings(n.path("approverGroups")),
                            n.path("separationOfDuties").asBoolean()),
                    n.path("deployLock").asBoolean(), LockPolicy.valueOf(n.path("lockPolicy").asText("WAIT")), branches,
                    strings(n.path("promoters"))));
        }
        return EnvironmentOrder.of(list);
    }

    static String promotion(Promotion p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", p.id());
        n.put("environment", p.environment());
        n.put("artifact", p.artifact().name());
        n.put("version", p.artifact().version());
        n.put("digest", p.artifact().digest().value());
        n.put("status", p.status().name());
        n.put("rollback", p.rollback());
        n.put("buildLink", p.buildLink());
        return write(n);
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(s -> out.add(s.asText()));
        return out;
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored promotion JSON is not readable: " + e.getOriginalMessage(), e);
        }
    }
}

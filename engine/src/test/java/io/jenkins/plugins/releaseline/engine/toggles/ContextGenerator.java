package io.jenkins.plugins.releaseline.engine.toggles;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Seeded contexts like applications send, with the odd attribute missing, mistyped or malformed. */
final class ContextGenerator {

    private static final String[] COUNTRIES = {"DE", "FR", "US", "KP", "IR", "BR", "JP", "SY", "CU", "de", ""};
    private static final String[] PLANS = {"free", "pro", "enterprise", "beta-tester", "Enterprise", " enterprise"};
    private static final String[] TENANTS = {"acme", "globex", "initech", "umbrella", "ACME", "acme "};
    private static final String[] REGIONS = {"eu-west-1", "eu-central-1", "us-east-1", "ap-south-1", "EU-west", "eu"};
    private static final String[] BETAS = {"yes", "no", "", "true"};
    private static final String[] PRE = {"alpha", "alpha.1", "beta", "beta.2", "beta.11", "rc.1", "rc.2", "0", "1", "x-y", "2a"};
    private static final String[] BROKEN_VERSIONS = {"1.2", "banana", "01.2.3", "1.2.3.4", "V1.2.3", "1.2.3-", "1.2.3-01", "",
        "1.2.3-be_ta", "2147483648.0.0", "1..3", "-1.2.3"};
    private static final String[] KEY_SHAPES = {"user-", "session-", "ü-", "日本-", "\uD83D\uDE00-", "acct/"};

    private ContextGenerator() {}

    static Map<String, Object> next(Random r) {
        Map<String, Object> m = new HashMap<>();
        if (r.nextInt(20) != 0) {
            m.put(ToggleContext.TARGETING_KEY, KEY_SHAPES[r.nextInt(KEY_SHAPES.length)] + r.nextInt(1_000_000));
        }
        if (r.nextInt(4) != 0) {
            m.put("country", r.nextInt(15) == 0 ? (Object) r.nextInt(100) : COUNTRIES[r.nextInt(COUNTRIES.length)]);
        }
        if (r.nextInt(3) != 0) {
            m.put("plan", PLANS[r.nextInt(PLANS.length)]);
        }
        if (r.nextInt(3) != 0) {
            m.put("version", version(r));
        }
        if (r.nextInt(4) == 0) {
            m.put("email", (r.nextInt(5) == 0 ? "qa-" : "dev") + r.nextInt(1000) + "@example.com");
        }
        if (r.nextInt(4) == 0) {
            int kind = r.nextInt(4);
            m.put("beta", kind == 0 ? (Object) r.nextBoolean() : kind == 1 ? (Object) r.nextInt(2) : BETAS[r.nextInt(BETAS.length)]);
        }
        if (r.nextInt(3) == 0) {
            int kind = r.nextInt(4);
            m.put("age", kind == 0 ? (Object) (r.nextInt(10) + 38) : kind == 1 ? (Object) (r.nextInt(4) * 0.5 + 41.0)
                    : kind == 2 ? String.valueOf(r.nextInt(5) + 40) : (Object) (r.nextInt(3) + 6));
        }
        if (r.nextInt(4) == 0) {
            m.put("region", REGIONS[r.nextInt(REGIONS.length)]);
        }
        if (r.nextInt(4) == 0) {
            m.put("tenant", TENANTS[r.nextInt(TENANTS.length)]);
        }
        return m;
    }

    private static String version(Random r) {
        if (r.nextInt(12) == 0) {
            return BROKEN_VERSIONS[r.nextInt(BROKEN_VERSIONS.length)];
        }
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(10) == 0) {
            sb.append('v');
        }
        sb.append(r.nextInt(5)).append('.').append(r.nextInt(7)).append('.').append(r.nextInt(3));
        if (r.nextInt(3) == 0) {
            sb.append('-').append(PRE[r.nextInt(PRE.length)]);
        }
        if (r.nextInt(6) == 0) {
            sb.append("+build.").append(r.nextInt(10));
        }
        if (r.nextInt(15) == 0) {
            return " " + sb + " ";
        }
        return sb.toString();
    }
}

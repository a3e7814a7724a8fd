package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.regex.Pattern;

/** The shapes Lambda accepts for a function name, an alias name and a published version, checked before any call. */
final class LambdaNames {

    private static final Pattern FUNCTION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern FUNCTION_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,20}");

    private LambdaNames() {}

    static String function(String function) {
        if (function == null || function.isBlank()) {
            throw new IllegalArgumentException("function: must name the Lambda function, such as prod-orders");
        }
        if (!FUNCTION.matcher(function).matches() && !FUNCTION_ARN.matcher(function).matches()) {
            throw new IllegalArgumentException("function: '" + Inputs.printable(function)
                    + "' is not a Lambda function name (1-64 letters, digits, '-' or '_') nor a function ARN");
        }
        return function;
    }

    static String alias(String alias) {
        if (alias == null || alias.isBlank()) {
            throw new IllegalArgumentException("alias: must name the alias that takes the traffic, such as live");
        }
        if (!ALIAS.matcher(alias).matches() || VERSION.matcher(alias).matches()) {
            throw new IllegalArgumentException("alias: '" + Inputs.printable(alias)
                    + "' is not a Lambda alias name (1-128 letters, digits, '-' or '_', not only digits)");
        }
        return alias;
    }

    static String version(String field, String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException(field + ": '" + (version == null ? "" : Inputs.printable(version))
                    + "' is not a published version number; give the number PublishVersion returned, such as 7 ($LATEST cannot take weighted traffic)");
        }
        return version;
    }
}

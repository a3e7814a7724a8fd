package io.jenkins.plugins.releaseline.engine.toggles;

/**
 * How a targeting rule compares a context attribute with its values. The semantic-version operators follow
 * flagd's {@code sem_ver} (semver.org precedence; an optional leading {@code v}; build metadata ignored).
 */
public enum RuleOperator {
    EQUALS(null),
    IN(null),
    STARTS_WITH(null),
    SEMVER_EQUAL("="),
    SEMVER_NOT_EQUAL("!="),
    SEMVER_LESS("<"),
    SEMVER_LESS_OR_EQUAL("<="),
    SEMVER_GREATER(">"),
    SEMVER_GREATER_OR_EQUAL(">="),
    SEMVER_SAME_MAJOR("^"),
    SEMVER_SAME_MINOR("~");

    private final String semVerSymbol;

    RuleOperator(String semVerSymbol) {
        this.semVerSymbol = semVerSymbol;
    }

    public boolean isSemVer() {
        return semVerSymbol != null;
    }

    /** The operator as flagd's {@code sem_ver} spells it; null for the others. */
    public String semVerSymbol() {
        return semVerSymbol;
    }
}

package io.jenkins.plugins.releaseline.rollout.lambda;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * One metric of {@code analysis: [[name:, source:, query:, threshold:, ...]]}, as for {@code canaryDeploy}; the
 * engine checks it ({@code MetricSpecs}) and names the field in its errors.
 */
public final class LambdaMetric extends AbstractDescribableImpl<LambdaMetric> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String source;
    private final String query;
    private String direction;
    private String aggregate;
    private Double threshold;
    private Boolean compare;
    private Double tolerance;
    private Double absoluteTolerance;
    private Integer minSamples;
    private String noData;
    private Boolean critical;
    private Double weight;

    @DataBoundConstructor
    public LambdaMetric(String name, String source, String query) {
        this.name = name;
        this.source = source;
        this.query = query;
    }

    public String getName() {
        return name;
    }

    public String getSource() {
        return source;
    }

    public String getQuery() {
        return query;
    }

    public String getDirection() {
        return direction;
    }

    @DataBoundSetter
    public void setDirection(String direction) {
        this.direction = blankToNull(direction);
    }

    public String getAggregate() {
        return aggregate;
    }

    @DataBoundSetter
    public void setAggregate(String aggregate) {
        this.aggregate = blankToNull(aggregate);
    }

    public Double getThreshold() {
        return threshold;
    }

    @DataBoundSetter
    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public Boolean getCompare() {
        return compare;
    }

    @DataBoundSetter
    public void setCompare(Boolean compare) {
        this.compare = compare;
    }

    public Double getTolerance() {
        return tolerance;
    }

    @DataBoundSetter
    public void setTolerance(Double tolerance) {
        this.tolerance = tolerance;
    }

    public Double getAbsoluteTolerance() {
        return absoluteTolerance;
    }

    @DataBoundSetter
    public void setAbsoluteTolerance(Double absoluteTolerance) {
        this.absoluteTolerance = absoluteTolerance;
    }

    public Integer getMinSamples() {
        return minSamples;
    }

    @DataBoundSetter
    public void setMinSamples(Integer minSamples) {
        this.minSamples = minSamples;
    }

    public String getNoData() {
        return noData;
    }

    @DataBoundSetter
    public void setNoData(String noData) {
        this.noData = blankToNull(noData);
    }

    public Boolean getCritical() {
        return critical;
    }

    @DataBoundSetter
    public void setCritical(Boolean critical) {
        this.critical = critical;
    }

    public Double getWeight() {
        return weight;
    }

    @DataBoundSetter
    public void setWeight(Double weight) {
        this.weight = weight;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The map the engine's {@code MetricSpecs.parse} reads. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        LambdaDeployStep.putIf(m, "name", name);
        LambdaDeployStep.putIf(m, "source", source);
        LambdaDeployStep.putIf(m, "query", query);
        LambdaDeployStep.putIf(m, "direction", direction);
        LambdaDeployStep.putIf(m, "aggregate", aggregate);
        LambdaDeployStep.putIf(m, "threshold", threshold);
        LambdaDeployStep.putIf(m, "compare", compare);
        LambdaDeployStep.putIf(m, "tolerance", tolerance);
        LambdaDeployStep.putIf(m, "absoluteTolerance", absoluteTolerance);
        LambdaDeployStep.putIf(m, "minSamples", minSamples);
        LambdaDeployStep.putIf(m, "noData", noData);
        LambdaDeployStep.putIf(m, "critical", critical);
        LambdaDeployStep.putIf(m, "weight", weight);
        return m;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<LambdaMetric> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.LambdaMetric_DisplayName();
        }
    }
}

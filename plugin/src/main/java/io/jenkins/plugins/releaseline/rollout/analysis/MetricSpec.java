package io.jenkins.plugins.releaseline.rollout.analysis;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * One metric of the analysis of {@code canaryDeploy} and {@code lambdaDeploy}, as
 * {@code analysis: [[name: ..., source: ..., query: ...], ...]} writes it; the engine's {@code MetricSpecs} checks every
 * value (and the step's arguments which sources it accepts) when the step starts.
 */
public final class MetricSpec extends AbstractDescribableImpl<MetricSpec> implements Serializable {

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
    public MetricSpec(String name, String source, String query) {
        this.name = Util.fixEmptyAndTrim(name);
        this.source = Util.fixEmptyAndTrim(source);
        this.query = Util.fixEmptyAndTrim(query);
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
        this.direction = Util.fixEmptyAndTrim(direction);
    }

    public String getAggregate() {
        return aggregate;
    }

    @DataBoundSetter
    public void setAggregate(String aggregate) {
        this.aggregate = Util.fixEmptyAndTrim(aggregate);
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
        this.noData = Util.fixEmptyAndTrim(noData);
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

    /**
     * The metrics as the engine's {@code MetricSpecs.parse} reads them: one map per metric holding the values given, by
     * argument name (plain serializable values); {@code null} for {@code null}.
     */
    public static ArrayList<LinkedHashMap<String, Object>> arguments(List<MetricSpec> metrics) {
        if (metrics == null) {
            return null;
        }
        ArrayList<LinkedHashMap<String, Object>> out = new ArrayList<>();
        metrics.forEach(metric -> out.add(metric.toMap()));
        return out;
    }

    /** The values given, by argument name, as the engine reads them. */
    public LinkedHashMap<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        put(m, "name", name);
        put(m, "source", source);
        put(m, "query", query);
        put(m, "direction", direction);
        put(m, "aggregate", aggregate);
        put(m, "threshold", threshold);
        put(m, "compare", compare);
        put(m, "tolerance", tolerance);
        put(m, "absoluteTolerance", absoluteTolerance);
        put(m, "minSamples", minSamples);
        put(m, "noData", noData);
        put(m, "critical", critical);
        put(m, "weight", weight);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Extension
    @Symbol("canaryMetric")
    public static final class DescriptorImpl extends Descriptor<MetricSpec> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.MetricSpec_DisplayName();
        }
    }
}

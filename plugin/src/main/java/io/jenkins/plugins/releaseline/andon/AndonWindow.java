package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.FreezeWindow;
import io.jenkins.plugins.releaseline.engine.andon.Stops;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A scheduled freeze: recurring ({@code cronStart}, {@code cronEnd}, {@code timeZone}) or one-off
 * ({@code from}, {@code to} as ISO-8601 instants). See {@link FreezeWindow}.
 */
public class AndonWindow implements Describable<AndonWindow> {

    private final String name;
    private String scope = "everything";
    private String stops = "deployments";
    private String reason;
    private String cronStart;
    private String cronEnd;
    private String timeZone;
    private String from;
    private String to;

    @DataBoundConstructor
    public AndonWindow(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getName() {
        return name;
    }

    public String getScope() {
        return scope;
    }

    @DataBoundSetter
    public void setScope(String scope) {
        this.scope = Util.fixEmptyAndTrim(scope) == null ? "everything" : scope.trim();
    }

    public String getStops() {
        return stops;
    }

    @DataBoundSetter
    public void setStops(String stops) {
        this.stops = Stops.parse(stops).text();
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        this.reason = Util.fixEmptyAndTrim(reason);
    }

    public String getCronStart() {
        return cronStart;
    }

    @DataBoundSetter
    public void setCronStart(String cronStart) {
        this.cronStart = Util.fixEmptyAndTrim(cronStart);
    }

    public String getCronEnd() {
        return cronEnd;
    }

    @DataBoundSetter
    public void setCronEnd(String cronEnd) {
        this.cronEnd = Util.fixEmptyAndTrim(cronEnd);
    }

    public String getTimeZone() {
        return timeZone;
    }

    @DataBoundSetter
    public void setTimeZone(String timeZone) {
        this.timeZone = Util.fixEmptyAndTrim(timeZone);
    }

    public String getFrom() {
        return from;
    }

    @DataBoundSetter
    public void setFrom(String from) {
        this.from = Util.fixEmptyAndTrim(from);
    }

    public String getTo() {
        return to;
    }

    @DataBoundSetter
    public void setTo(String to) {
        this.to = Util.fixEmptyAndTrim(to);
    }

    FreezeWindow toEngine() {
        FreezeScope s = FreezeScope.parse(scope);
        Stops st = Stops.parse(stops);
        if (cronStart != null || cronEnd != null) {
            if (from != null || to != null) {
                throw new IllegalArgumentException(
                        "window " + name + ": give either cronStart/cronEnd/timeZone or from/to, not both");
            }
            return FreezeWindow.recurring(name, s, st, reason, cronStart, cronEnd, timeZone == null ? "UTC" : timeZone);
        }
        return FreezeWindow.oneOff(name, s, st, reason, instant("from", from), instant("to", to));
    }

    private static Instant instant(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    field + ": '" + value + "' is not an ISO-8601 instant such as 2026-12-23T00:00:00Z");
        }
    }

    @Extension
    @Symbol("window")
    public static class DescriptorImpl extends Descriptor<AndonWindow> {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.Window_DisplayName();
        }

        static ListBoxModel stopsItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("Deployments and promotions", Stops.DEPLOYMENTS.text());
            m.add("All builds", Stops.ALL_BUILDS.text());
            return m;
        }

        public ListBoxModel doFillStopsItems() {
            return stopsItems();
        }

        @POST
        public FormValidation doCheckCronEnd(
                @QueryParameter String name,
                @QueryParameter String cronStart,
                @QueryParameter String value,
                @QueryParameter String timeZone) {
            if (Util.fixEmptyAndTrim(cronStart) == null && Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok();
            }
            try {
                FreezeWindow.recurring(
                        Util.fixEmptyAndTrim(name) == null ? "window" : name,
                        null,
                        null,
                        null,
                        cronStart,
                        value,
                        Util.fixEmptyAndTrim(timeZone) == null ? "UTC" : timeZone);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}

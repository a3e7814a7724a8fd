package io.jenkins.plugins.releaseline.rollout.router;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.BulkChange;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.XmlFile;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/** The traffic routers administrators define once, by name, for pipelines to use. */
@Extension
@Symbol("trafficRouters")
public class TrafficRouters extends GlobalConfiguration {

    private List<RouterDefinition> routers = new ArrayList<>();

    public TrafficRouters() {
        load();
    }

    @NonNull
    public static TrafficRouters get() {
        return ExtensionList.lookupSingleton(TrafficRouters.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.TrafficRouters_DisplayName();
    }

    @NonNull
    public List<RouterDefinition> getRouters() {
        return routers == null ? List.of() : List.copyOf(routers);
    }

    @DataBoundSetter
    public void setRouters(List<RouterDefinition> routers) {
        List<RouterDefinition> list = routers == null ? new ArrayList<>() : new ArrayList<>(routers);
        Set<String> names = new HashSet<>();
        for (RouterDefinition r : list) {
            if (r.getName() == null || !names.add(r.getName())) {
                throw new IllegalArgumentException(Messages.TrafficRouters_DuplicateName(r.getName()));
            }
        }
        this.routers = list;
        save();
    }

    /** The file written before the class moved into this package; the routers stay where they were saved. */
    @Override
    protected XmlFile getConfigFile() {
        return new XmlFile(
                Jenkins.XSTREAM2,
                new File(Jenkins.get().getRootDir(), "io.jenkins.plugins.releaseline.rollout.TrafficRouters.xml"));
    }

    @CheckForNull
    public RouterDefinition router(String name) {
        return getRouters().stream()
                .filter(r -> r.getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        try (BulkChange bc = new BulkChange(this)) {
            routers = new ArrayList<>();
            req.bindJSON(this, json);
            bc.commit();
        } catch (IOException | IllegalArgumentException e) {
            throw new FormException(e.getMessage(), e, "routers");
        }
        return true;
    }
}

package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.util.ListBoxModel;
import java.util.LinkedHashMap;
import java.util.Map;
import net.sf.json.JSONObject;

/**
 * What the Snippet Generator's forms of the toggle steps cannot say with plain fields: a map written as
 * {@code name=value, name=value} in one text box (a context, a split), and a choice left blank to mean "unchanged".
 * Pipelines never come here: they pass Groovy maps, which the steps take as they are.
 */
final class SnippetForm {

    private SnippetForm() {}

    /** The choices of an {@code enabled} field whose blank means "leave it as it is". */
    static ListBoxModel enabledItems() {
        ListBoxModel items = new ListBoxModel();
        items.add(Messages.SnippetForm_Unchanged(), "");
        items.add(Messages.SnippetForm_On(), "true");
        items.add(Messages.SnippetForm_Off(), "false");
        return items;
    }

    /** Removes {@code field} from the form if it is blank, so the step's setter is not called and the value stays unset. */
    static JSONObject dropBlank(JSONObject form, String... fields) {
        JSONObject copy = JSONObject.fromObject(form.toString());
        for (String field : fields) {
            if (copy.has(field) && Util.fixEmptyAndTrim(copy.optString(field)) == null) {
                copy.remove(field);
            }
        }
        return copy;
    }

    /**
     * {@code targetingKey=user-42, plan=pro} as an ordered map; values stay text, except whole numbers when
     * {@code numbers} is set (the weights of a split). Null for a blank text.
     */
    @CheckForNull
    static Map<String, Object> keyValues(@CheckForNull String text, boolean numbers) {
        if (Util.fixEmptyAndTrim(text) == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + pair.trim() + "': write name=value, as in plan=pro");
            }
            String name = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            map.put(name, numbers && value.matches("-?\\d{1,9}") ? (Object) Integer.valueOf(value) : value);
        }
        return map;
    }

    /** The text box's value for a map: {@code name=value, name=value}. */
    static String keyValueText(@CheckForNull Map<String, Object> map) {
        if (map == null || map.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        map.forEach((k, v) ->
                b.append(b.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }

    /** The text given for {@code field}, removed from the form so that the step is bound without it. */
    @CheckForNull
    static String take(JSONObject form, String field) {
        if (!form.has(field)) {
            return null;
        }
        String text = form.optString(field);
        form.remove(field);
        return text;
    }
}

package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.regex.Pattern;

/**
 * A branch glob: {@code *} matches within one path segment, {@code **} across segments, {@code ?} one
 * character; everything else literally. {@code release/*} matches {@code release/1.4} but not
 * {@code release/1.4/hotfix}.
 */
public record BranchPattern(String glob) {

    public BranchPattern {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("branches: a pattern is empty; write a branch name or a glob such as release/*");
        }
        Inputs.rejectControlCharacters("branches", glob, false);
        Inputs.requireLength("branches", glob, 250);
        glob = glob.strip();
    }

    public boolean matches(String branch) {
        return branch != null && toRegex().matcher(branch).matches();
    }

    private Pattern toRegex() {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        return glob;
    }
}

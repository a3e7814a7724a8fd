package io.jenkins.plugins.releaseline.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Checks of command-line input that name the option as the user typed it ({@code --scope}, not the engine's
 * {@code scope}) and say how to fix it. Each runs before anything is changed.
 */
final class CliInputs {

    private CliInputs() {}

    /**
     * Runs {@code parse}; an engine refusal of {@code field} ("scope: ...") is told as one of {@code option}
     * ("--scope: ...").
     */
    static <T> T option(String option, String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.startsWith(field + ":")) {
                throw new IllegalArgumentException(option + m.substring(field.length()), e);
            }
            throw e;
        }
    }

    /** {@code name} must be one of the environments of the line configured in the store. */
    static void requireEnvironment(Engines e, String option, String name, String unlessOption) {
        List<String> known = e.promotions().environments().names();
        if (name == null || !known.contains(name)) {
            throw new IllegalArgumentException(option + ": '" + (name == null ? "" : name)
                    + "' is not an environment of the line; the configured environments are " + String.join(", ", known)
                    + (unlessOption == null ? "" : " (give " + unlessOption + " for one not configured yet)"));
        }
    }

    /** Why a file could not be read, in words: "no such file", "permission denied"... */
    static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is not a folder";
        }
        if (e instanceof java.nio.charset.MalformedInputException || e instanceof java.nio.charset.CharacterCodingException) {
            return "it is not UTF-8 text";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}

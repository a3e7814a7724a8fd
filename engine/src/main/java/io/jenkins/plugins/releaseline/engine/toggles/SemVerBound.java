package io.jenkins.plugins.releaseline.engine.toggles;

/**
 * A semantic version on a rule's side, parsed once, compared with a context's version text without
 * allocating. Parsing follows what flagd's {@code sem_ver} accepts (semver4j 5.8 {@code Semver.parse}): the
 * semver.org grammar, surrounding whitespace ignored, an optional leading lower-case {@code v}, each of major,
 * minor and patch within a Java int; precedence per semver.org, build metadata ignored.
 */
final class SemVerBound {

    /** Numeric pre-release identifiers longer than this are refused (flagd compares them as a Java long). */
    static final int MAX_NUMERIC_IDENTIFIER = 18;
    static final int INVALID = Integer.MIN_VALUE;

    private final String text;
    private final int major;
    private final int minor;
    private final int patch;
    /** Pre-release identifiers; empty when there is none. */
    private final String[] pre;
    /** For each pre-release identifier: its value when numeric, -1 when alphanumeric. */
    private final long[] preNumeric;

    private SemVerBound(String text, int major, int minor, int patch, String[] pre, long[] preNumeric) {
        this.text = text;
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.pre = pre;
        this.preNumeric = preNumeric;
    }

    /** Parses a rule's version; null when it is not a semantic version. */
    static SemVerBound parse(String text) {
        if (text == null) {
            return null;
        }
        Cursor c = new Cursor();
        if (!c.parse(text)) {
            return null;
        }
        String[] ids;
        long[] numeric;
        if (c.preStart < 0) {
            ids = new String[0];
            numeric = new long[0];
        } else {
            ids = text.substring(c.preStart, c.preEnd).split("\\.", -1);
            numeric = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                numeric[i] = isDigits(ids[i], 0, ids[i].length()) ? Long.parseLong(ids[i]) : -1;
            }
        }
        return new SemVerBound(text, c.major, c.minor, c.patch, ids, numeric);
    }

    String text() {
        return text;
    }

    /** Whether {@code candidate} (a context's value) stands in {@code op} to this version; false when it is no version. */
    boolean test(Object candidate, RuleOperator op) {
        if (!(candidate instanceof String s)) {
            return false;
        }
        Cursor c = CURSOR.get();
        if (!c.parseOnce(s)) {
            return false;
        }
        switch (op) {
            case SEMVER_SAME_MAJOR:
                return c.major == major;
            case SEMVER_SAME_MINOR:
                return c.major == major && c.minor == minor;
            default:
                break;
        }
        int cmp = compare(s, c);
        if (cmp == INVALID) {
            return false;
        }
        return switch (op) {
            case SEMVER_EQUAL -> cmp == 0;
            case SEMVER_NOT_EQUAL -> cmp != 0;
            case SEMVER_LESS -> cmp < 0;
            case SEMVER_LESS_OR_EQUAL -> cmp <= 0;
            case SEMVER_GREATER -> cmp > 0;
            case SEMVER_GREATER_OR_EQUAL -> cmp >= 0;
            default -> false;
        };
    }

    private static final ThreadLocal<Cursor> CURSOR = ThreadLocal.withInitial(Cursor::new);

    /** The sign of (candidate - this) by semver precedence. */
    private int compare(String s, Cursor c) {
        if (c.major != major) {
            return Integer.compare(c.major, major);
        }
        if (c.minor != minor) {
            return Integer.compare(c.minor, minor);
        }
        if (c.patch != patch) {
            return Integer.compare(c.patch, patch);
        }
        boolean candidateHasPre = c.preStart >= 0;
        if (!candidateHasPre || pre.length == 0) {
            return candidateHasPre == (pre.length > 0) ? 0 : (candidateHasPre ? -1 : 1);
        }
        int i = 0;
        int start = c.preStart;
        while (true) {
            boolean candidateDone = start > c.preEnd;
            boolean boundDone = i >= pre.length;
            if (candidateDone || boundDone) {
                return candidateDone == boundDone ? 0 : (candidateDone ? -1 : 1);
            }
            int end = s.indexOf('.', start);
            if (end < 0 || end > c.preEnd) {
                end = c.preEnd;
            }
            int cmp = compareIdentifier(s, start, end, i);
            if (cmp == INVALID) {
                return INVALID;
            }
            if (cmp != 0) {
                return cmp;
            }
            i++;
            start = end + 1;
        }
    }

    private int compareIdentifier(String s, int start, int end, int i) {
        boolean numeric = isDigits(s, start, end);
        boolean boundNumeric = preNumeric[i] >= 0;
        if (numeric && boundNumeric) {
            if (end - start > MAX_NUMERIC_IDENTIFIER) {
                return INVALID;
            }
            long v = 0;
            for (int k = start; k < end; k++) {
                v = v * 10 + (s.charAt(k) - '0');
            }
            return Long.compare(v, preNumeric[i]);
        }
        if (numeric != boundNumeric) {
            return numeric ? -1 : 1;
        }
        String b = pre[i];
        int n = Math.min(end - start, b.length());
        for (int k = 0; k < n; k++) {
            char x = s.charAt(start + k);
            char y = b.charAt(k);
            if (x != y) {
                return x - y < 0 ? -1 : 1;
            }
        }
        return Integer.compare(end - start, b.length());
    }

    private static boolean isDigits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int k = from; k < to; k++) {
            char ch = s.charAt(k);
            if (ch < '0' || ch > '9') {
                return false;
            }
        }
        return true;
    }

    /** A reusable parse of one version text: positions and numbers only. */
    private static final class Cursor {
        int major;
        int minor;
        int patch;
        int preStart;
        int preEnd;
        private String s;
        private int pos;
        private int end;
        /** The text parsed last and whether it was valid: rules on the same attribute parse it once. */
        private String lastText;
        private boolean lastValid;

        boolean parseOnce(String text) {
            if (text != lastText) {
                lastValid = parse(text);
                lastText = text;
            }
            return lastValid;
        }

        boolean parse(String text) {
            s = text;
            int from = 0;
            int to = text.length();
            while (from < to && text.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && text.charAt(to - 1) <= ' ') {
                to--;
            }
            if (from < to && text.charAt(from) == 'v') {
                from++;
            }
            pos = from;
            end = to;
            preStart = -1;
            preEnd = -1;
            major = number();
            if (major < 0 || !accept('.')) {
                return false;
            }
            minor = number();
            if (minor < 0 || !accept('.')) {
                return false;
            }
            patch = number();
            if (patch < 0) {
                return false;
            }
            if (pos < end && s.charAt(pos) == '-') {
                pos++;
                preStart = pos;
                if (!identifiers(true)) {
                    return false;
                }
                preEnd = pos;
            }
            if (pos < end && s.charAt(pos) == '+') {
                pos++;
                if (!identifiers(false)) {
                    return false;
                }
            }
            return pos == end;
        }

        private boolean accept(char ch) {
            if (pos < end && s.charAt(pos) == ch) {
                pos++;
                return true;
            }
            return false;
        }

        /** A version number without leading zeros that fits in an int; -1 if there is none. */
        private int number() {
            int start = pos;
            long v = 0;
            while (pos < end && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                v = v * 10 + (s.charAt(pos) - '0');
                if (v > Integer.MAX_VALUE) {
                    return -1;
                }
                pos++;
            }
            if (pos == start || (pos - start > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            return (int) v;
        }

        /** Dot-separated identifiers of [0-9A-Za-z-]; for a pre-release, numeric ones without leading zeros. */
        private boolean identifiers(boolean preRelease) {
            while (true) {
                int start = pos;
                boolean allDigits = true;
                while (pos < end) {
                    char ch = s.charAt(pos);
                    boolean digit = ch >= '0' && ch <= '9';
                    boolean alnum = digit || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-';
                    if (!alnum) {
                        break;
                    }
                    allDigits &= digit;
                    pos++;
                }
                if (pos == start) {
                    return false;
                }
                if (preRelease && allDigits && pos - start > 1 && s.charAt(start) == '0') {
                    return false;
                }
                if (pos < end && s.charAt(pos) == '.') {
                    pos++;
                    continue;
                }
                return true;
            }
        }
    }
}

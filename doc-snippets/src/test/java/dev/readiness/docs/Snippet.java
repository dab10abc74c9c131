package dev.readiness.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fenced block of a Markdown file with the marker comment on the line before its fence, if any.
 *
 * @param file      the file as the failure message names it ({@code README.md}, {@code src/docs/drain.md})
 * @param fenceLine the 1-based line of the opening fence
 * @param info      the fence's info string ({@code java}, or empty)
 * @param kind      the marker's kind ({@code java-statements}), or null when the block has no marker
 * @param context   the marker's lines after the kind (imports and declarations for Java), empty when none
 * @param body      the block's text, without the fences
 */
record Snippet(String file, int fenceLine, String info, String kind, List<String> context, String body) {

    private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^`\\s]*).*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*([a-z-]+)(.*)$");

    /** The 1-based line in {@link #file} of the block's line {@code index} (0-based). */
    int lineOf(int index) {
        return fenceLine + 1 + index;
    }

    String where() {
        return file + ":" + fenceLine;
    }

    /** Every fenced block of {@code text}, in order. An unclosed fence is reported as a block to the end. */
    static List<Snippet> parse(String file, String text) {
        String[] lines = text.split("\n", -1);
        List<Snippet> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            String fence = open.group(2);
            String indent = open.group(1);
            int end = i + 1;
            while (end < lines.length && !lines[end].strip().equals(fence)) {
                end++;
            }
            StringBuilder body = new StringBuilder();
            for (int k = i + 1; k < Math.min(end, lines.length); k++) {
                String line = lines[k];
                body.append(line.startsWith(indent) ? line.substring(indent.length()) : line.strip()).append('\n');
            }
            String kind = null;
            List<String> context = new ArrayList<>();
            if (i > 0 && lines[i - 1].strip().endsWith("-->")) {
                int start = i - 1;
                while (start > 0 && !lines[start].contains("<!--")) {
                    start--;
                }
                Matcher m = MARKER.matcher(lines[start]);
                if (m.matches()) {
                    kind = m.group(1);
                    String rest = m.group(2).replace("-->", "").strip();
                    if (!rest.isEmpty()) {
                        context.add(rest);
                    }
                    for (int k = start + 1; k < i; k++) {
                        String line = lines[k].replace("-->", "").strip();
                        if (!line.isEmpty()) {
                            context.add(line);
                        }
                    }
                }
            }
            out.add(new Snippet(file, i + 1, open.group(3), kind, List.copyOf(context), body.toString()));
            i = end;
        }
        return out;
    }
}

package io.edgefleet.gateway.nodes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A node's console output made readable and bounded: carriage returns and terminal escape sequences (colours, cursor
 * moves) removed, blank lines dropped, then the last lines that fit both the line and the byte limit. Pure, so the
 * limits are tested without a node.
 */
public final class ConsoleText {

    private static final String ESCAPES = "\u001B\\[[0-9;?]*[A-Za-z]|\u001B\\][^\u0007]*\u0007";

    private ConsoleText() {}

    /** The last lines of a console's text, oldest first, and whether the byte limit left some out. */
    public record Tail(List<String> lines, boolean truncated) {}

    /** Readable lines of raw console bytes (UTF-8; a character cut at the start shows as a replacement character). */
    public static List<String> lines(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8)
                .replaceAll(ESCAPES, "")
                .replace("\r", "");
        return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank()).toList();
    }

    /**
     * The last {@code maxLines} lines whose UTF-8 bytes (one newline each counted) stay within {@code maxBytes}; a
     * single last line longer than that keeps its end. {@code truncated} when the byte limit, not the line limit,
     * stopped it.
     */
    public static Tail last(List<String> lines, int maxLines, int maxBytes) {
        List<String> kept = new ArrayList<>();
        int bytes = 0;
        boolean truncated = false;
        for (int i = lines.size() - 1; i >= 0 && kept.size() < maxLines; i--) {
            String line = lines.get(i);
            int size = line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (bytes + size > maxBytes) {
                truncated = true;
                if (kept.isEmpty()) { // even the last line is too long: its end, which is what was printed last
                    kept.add(endOf(line, maxBytes - 1));
                }
                break;
            }
            kept.add(line);
            bytes += size;
        }
        Collections.reverse(kept);
        return new Tail(List.copyOf(kept), truncated);
    }

    private static String endOf(String line, int maxBytes) {
        int from = line.length();
        int bytes = 0;
        while (from > 0) {
            int cp = line.codePointBefore(from);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            from -= Character.charCount(cp);
        }
        return line.substring(from);
    }
}

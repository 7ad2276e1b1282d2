package org.m3sgg.extract;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code --videos}: all videos, the first N of the plan, or a list of video ids ({@code 001YG.mp4}; the
 * {@code .mp4} may be left out).
 *
 * @param first the first N videos (0: all, or the list)
 * @param ids   the listed videos (empty: all or the first N)
 */
public record VideoSelection(int first, List<String> ids) {

    public static final VideoSelection ALL = new VideoSelection(0, List.of());

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]+(\\.mp4)?");

    public VideoSelection {
        ids = List.copyOf(ids);
        if (first < 0 || first > 0 && !ids.isEmpty()) {
            throw new IllegalArgumentException("a selection is a count or a list, not both");
        }
    }

    public boolean all() {
        return first == 0 && ids.isEmpty();
    }

    /**
     * Parses {@code N} (a positive count) or {@code ID[,ID...]}.
     *
     * @throws IllegalArgumentException with a message naming the bad value
     */
    public static VideoSelection parse(String value) {
        String v = value.trim();
        if (v.matches("[+-]?[0-9]+")) {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + value + "': expected a positive number of videos or a "
                        + "comma-separated list of video ids (001YG.mp4,...)");
            }
            return new VideoSelection((int) n, List.of());
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String part : v.split(",", -1)) {
            String id = part.trim();
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("'" + value + "': '" + id + "' is not a video id; expected a "
                        + "positive number of videos or a comma-separated list of video ids (001YG.mp4,...)");
            }
            out.add(id.endsWith(".mp4") ? id : id + ".mp4");
        }
        return new VideoSelection(0, new ArrayList<>(out));
    }
}

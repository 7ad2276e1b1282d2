package org.m3sgg.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.m3sgg.api.KitException;

/** The frames of a folder of PNG/JPG images, read one at a time with ImageIO. */
final class FolderSource implements FrameSource {

    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private final Path folder;
    private final Sampling sampling;
    private final List<Path> files;
    private final Sampling.Selector selector;
    private final double nominalFps;
    private int position;
    private Path first;
    private int firstWidth;
    private int firstHeight;

    FolderSource(Path folder, Sampling sampling, double nominalFps) {
        if (!Files.isDirectory(folder)) {
            throw new KitException(folder + ": no such frame folder");
        }
        if (!(nominalFps >= 0) || Double.isInfinite(nominalFps)) {
            throw new KitException(folder + ": frame rate " + nominalFps + " is not allowed, expected a rate > 0"
                    + " (or 0: unknown)");
        }
        if (sampling.byRate() && nominalFps == 0) {
            throw new KitException(folder + ": a frame folder has no frame rate of its own; sample it every n-th"
                    + " frame, or give the folder's rate to sample at " + sampling.fps() + " fps");
        }
        this.folder = folder;
        this.sampling = sampling;
        this.nominalFps = nominalFps;
        this.files = list(folder);
        if (files.isEmpty()) {
            throw new KitException(folder + ": no frames (expected .png or .jpg images, e.g. Action Genome's"
                    + " VID.mp4/000012.png)" + subfolderHint(folder));
        }
        this.selector = sampling.selector(nominalFps > 0 ? nominalFps : 1);
    }

    /** The images of the folder in frame order. */
    static List<Path> list(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> isFrame(p.getFileName().toString()) && Files.isRegularFile(p))
                    .sorted(ORDER).toList();
        } catch (IOException e) {
            throw new KitException(folder + ": cannot list the frame folder (" + e.getMessage() + ")", e);
        }
    }

    /** When the folder holds video folders (Action Genome's frames/ root): which one to give instead. */
    private static String subfolderHint(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().findFirst()
                    .map(n -> "; it holds folders: give one video's folder, e.g. " + folder.resolve(n)).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isFrame(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    /** The last number in the name without its extension, or null. */
    static BigInteger number(String name) {
        int dot = name.lastIndexOf('.');
        Matcher m = DIGITS.matcher(dot > 0 ? name.substring(0, dot) : name);
        BigInteger n = null;
        while (m.find()) {
            n = new BigInteger(m.group());
        }
        return n;
    }

    static final Comparator<Path> ORDER = (a, b) -> {
        String na = a.getFileName().toString();
        String nb = b.getFileName().toString();
        BigInteger ia = number(na);
        BigInteger ib = number(nb);
        if (ia != null && ib != null) {
            int c = ia.compareTo(ib);
            if (c != 0) {
                return c;
            }
        } else if (ia != null || ib != null) {
            return ia != null ? -1 : 1;
        }
        return na.compareTo(nb);
    };

    @Override
    public Optional<Frame> next() {
        while (position < files.size()) {
            int i = position++;
            if (selector.keep(i, i / (nominalFps > 0 ? nominalFps : 1))) {
                return Optional.of(read(i));
            }
        }
        return Optional.empty();
    }

    private Frame read(int i) {
        Path file = files.get(i);
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new KitException(file + ": not a readable PNG/JPG image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new KitException(file + ": not a readable PNG/JPG image (no ImageIO reader accepts it)");
        }
        if (first == null) {
            first = file;
            firstWidth = img.getWidth();
            firstHeight = img.getHeight();
        } else if (img.getWidth() != firstWidth || img.getHeight() != firstHeight) {
            throw new KitException(file + " is " + img.getWidth() + "x" + img.getHeight() + ", the folder's first"
                    + " frame is " + firstWidth + "x" + firstHeight + " (" + first.getFileName() + ")");
        }
        return new Frame(i, file.getFileName().toString(), Pixels.asRgb(img));
    }

    @Override
    public String describe() {
        return "frame folder " + folder + " (" + files.size() + " images"
                + (nominalFps > 0 ? " at " + nominalFps + " fps" : "") + "), " + sampling.describe();
    }

    @Override
    public void close() {
        // nothing held open between frames
    }
}

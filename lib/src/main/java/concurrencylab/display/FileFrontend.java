package concurrencylab.display;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Outside Jupyter: each image or HTML fragment becomes a numbered file in a build folder, and
 * one line of text says what it was and where it went.
 */
final class FileFrontend implements Frontend {

    /** System property that moves the output folder (default {@code build/display}). */
    static final String FOLDER_PROPERTY = "concurrencylab.display.dir";

    private final Path folder;
    private final PrintStream out;
    private final AtomicInteger counter = new AtomicInteger();

    FileFrontend(Path folder, PrintStream out) {
        this.folder = folder;
        this.out = out;
    }

    static FileFrontend fromSystemProperties() {
        return new FileFrontend(Path.of(System.getProperty(FOLDER_PROPERTY, "build/display")), System.out);
    }

    Path folder() {
        return folder;
    }

    @Override
    public String name() {
        return "no Jupyter kernel";
    }

    @Override
    public boolean inNotebook() {
        return false;
    }

    @Override
    public void show(Shown item) {
        switch (item) {
            case Shown.Image image -> {
                Path file = next("png");
                try {
                    ImageIO.write(image.image(), "png", file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not write " + file, e);
                }
                out.printf("[image %dx%d] %s -> %s%n",
                        image.image().getWidth(), image.image().getHeight(), image.summary(), file);
            }
            case Shown.Markup markup -> {
                Path file = next("html");
                write(file, "<!doctype html>\n<meta charset=\"utf-8\">\n" + markup.html() + "\n");
                out.printf("[html] %s -> %s%n", markup.summary(), file);
            }
            case Shown.Text text -> out.println(text.text());
        }
    }

    /**
     * Outside Jupyter nothing can be replaced: a live display prints its summary line (an image
     * is also written to its file), and each update adds a line.
     */
    @Override
    public String showUpdatable(Shown item) {
        if (item instanceof Shown.Image) {
            show(item);
        } else {
            out.println(item.summary());
        }
        return "file-" + counter.get();
    }

    @Override
    public void update(String id, Shown item) {
        out.println(item.summary());
    }

    private Path next(String extension) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the display folder " + folder
                    + "; set -D" + FOLDER_PROPERTY + "=<a writable folder>", e);
        }
        return folder.resolve(String.format("display-%03d.%s", counter.incrementAndGet(), extension));
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}

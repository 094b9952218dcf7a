import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * Draws a line of text into an image without a display, as every chart of the lab does.
 * `./lab` runs it on the chosen JDK before it builds: a JDK from a "headless" package often
 * lacks what AWT needs to draw text (fontconfig, a font, harfbuzz), and then every chart fails.
 * Prints one line and exits 0 when the text was drawn; otherwise the JVM prints the error.
 */
public class FontProbe {
    public static void main(String[] args) {
        BufferedImage image = new BufferedImage(160, 30, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.drawString("Threads 1,234 ms", 2, 20);
        int width = g.getFontMetrics().stringWidth("Threads 1,234 ms");
        g.dispose();
        if (width <= 0) {
            throw new IllegalStateException("text was drawn 0 pixels wide: no usable font");
        }
        System.out.println("drew text headless (" + g.getFont().getFontName() + ", " + width + " px)");
    }
}

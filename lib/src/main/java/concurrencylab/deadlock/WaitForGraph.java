package concurrencylab.deadlock;

import concurrencylab.chart.Theme;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link Deadlock}'s wait-for graph with Java2D in the lab's chart style (JFreeChart has
 * no graph layout): the threads (blue boxes) and the locks (orange ovals) round an ellipse, each
 * thread's "waits for" arrow to the lock it wants, each lock's "held by" arrow to its owner, the
 * cycle they close drawn in red.
 */
final class WaitForGraph {

    private static final Color TEXT = new Color(0x222222);
    private static final Color THREAD = Theme.PALETTE[0];
    private static final Color LOCK = Theme.PALETTE[1];
    private static final Color CYCLE = Theme.PALETTE[3];
    private static final int WIDTH = 760;

    private WaitForGraph() {}

    private record Node(String label, boolean thread, double x, double y, Shape shape) {}

    static BufferedImage draw(Deadlock deadlock) {
        List<Deadlock.Waiter> cycle = deadlock.cycle();
        int n = cycle.size();
        int height = Math.max(420, Math.min(1400, 220 + 60 * n));
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            Font title = new Font(Font.SANS_SERIF, Font.BOLD, 17);
            Font regular = new Font(Font.SANS_SERIF, Font.PLAIN, n > 6 ? 11 : 13);
            Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            g.setColor(TEXT);
            centred(g, title, "Wait-for graph: a deadlock of " + n + " thread" + (n == 1 ? "" : "s"), WIDTH / 2.0, 30);
            centred(g, small, deadlock.onMonitors()
                    ? "Each thread waits in synchronized for a monitor the next holds: no interrupt can free them"
                    : "Each thread waits for a lock the next one holds: a cycle (red), so none of them can go on",
                    WIDTH / 2.0, 52);

            double cx = WIDTH / 2.0, cy = 70 + (height - 120) / 2.0;
            double rx = 250, ry = (height - 190) / 2.0;
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < 2 * n; i++) {
                double angle = Math.PI + i * Math.PI / n;      // the first thread on the left, then clockwise
                double x = cx + rx * Math.cos(angle), y = cy - ry * Math.sin(angle);
                Deadlock.Waiter w = cycle.get(i / 2);
                boolean thread = i % 2 == 0;
                String label = thread ? w.thread() : w.waitsFor();
                nodes.add(node(g, regular, label, thread, x, y));
            }
            g.setStroke(new BasicStroke(2.4f));
            for (int i = 0; i < 2 * n; i++) {
                Node from = nodes.get(i), to = nodes.get((i + 1) % (2 * n));
                arrow(g, small, from, to, from.thread() ? "waits for" : "held by", cx, cy);
            }
            for (Node node : nodes) {
                Color colour = node.thread() ? THREAD : LOCK;
                g.setColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 40));
                g.fill(node.shape());
                g.setColor(new Color(255, 255, 255));
                g.setColor(colour);
                g.setStroke(new BasicStroke(2f));
                g.draw(node.shape());
                g.setColor(TEXT);
                centred(g, regular, node.label(), node.x(), node.y() + g.getFontMetrics(regular).getAscent() / 2.0 - 2);
            }
            legend(g, small, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static Node node(Graphics2D g, Font font, String label, boolean thread, double x, double y) {
        FontMetrics m = g.getFontMetrics(font);
        double w = m.stringWidth(label) + (thread ? 24 : 34), h = m.getHeight() + (thread ? 14 : 18);
        Shape shape = thread ? new RoundRectangle2D.Double(x - w / 2, y - h / 2, w, h, 12, 12)
                : new Ellipse2D.Double(x - w / 2, y - h / 2, w, h);
        return new Node(label, thread, x, y, shape);
    }

    private static void arrow(Graphics2D g, Font font, Node from, Node to, String label, double cx, double cy) {
        Point2D start = edge(from, to), end = edge(to, from);
        g.setColor(CYCLE);
        g.setStroke(new BasicStroke(2.4f));
        Path2D line = new Path2D.Double();
        line.moveTo(start.getX(), start.getY());
        line.lineTo(end.getX(), end.getY());
        g.draw(line);
        double angle = Math.atan2(end.getY() - start.getY(), end.getX() - start.getX());
        Path2D head = new Path2D.Double();
        head.moveTo(end.getX(), end.getY());
        head.lineTo(end.getX() - 12 * Math.cos(angle - 0.4), end.getY() - 12 * Math.sin(angle - 0.4));
        head.lineTo(end.getX() - 12 * Math.cos(angle + 0.4), end.getY() - 12 * Math.sin(angle + 0.4));
        head.closePath();
        g.fill(head);
        double mx = (start.getX() + end.getX()) / 2, my = (start.getY() + end.getY()) / 2;
        double ox = mx - cx, oy = my - cy, len = Math.max(1, Math.hypot(ox, oy));
        double lx = mx + 16 * ox / len, ly = my + 16 * oy / len;    // outside the ring, beside the arrow
        FontMetrics m = g.getFontMetrics(font);
        g.setColor(CYCLE);
        g.setFont(font);
        double w = m.stringWidth(label);
        double tx = ox >= 0 ? lx : lx - w;
        if (Math.abs(ox) < 20) {
            tx = lx - w / 2;
        }
        g.drawString(label, (float) tx, (float) (ly + m.getAscent() / 2.0));
    }

    /** Where the line from a node's centre towards another node leaves the node's shape. */
    private static Point2D edge(Node from, Node to) {
        double dx = to.x() - from.x(), dy = to.y() - from.y();
        double lo = 0, hi = 1;
        for (int i = 0; i < 30; i++) {
            double mid = (lo + hi) / 2;
            if (from.shape().contains(from.x() + dx * mid, from.y() + dy * mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double t = hi + 4 / Math.max(1, Math.hypot(dx, dy));
        return new Point2D.Double(from.x() + dx * t, from.y() + dy * t);
    }

    private static void legend(Graphics2D g, Font font, int height) {
        g.setFont(font);
        FontMetrics m = g.getFontMetrics();
        int y = height - 22;
        int x = 40;
        g.setStroke(new BasicStroke(2f));
        g.setColor(new Color(THREAD.getRed(), THREAD.getGreen(), THREAD.getBlue(), 40));
        g.fillRoundRect(x, y - 11, 26, 16, 8, 8);
        g.setColor(THREAD);
        g.drawRoundRect(x, y - 11, 26, 16, 8, 8);
        g.setColor(TEXT);
        g.drawString("thread", x + 34, y + 2);
        x += 34 + m.stringWidth("thread") + 30;
        g.setColor(new Color(LOCK.getRed(), LOCK.getGreen(), LOCK.getBlue(), 40));
        g.fillOval(x, y - 11, 30, 16);
        g.setColor(LOCK);
        g.drawOval(x, y - 11, 30, 16);
        g.setColor(TEXT);
        g.drawString("lock", x + 38, y + 2);
        x += 38 + m.stringWidth("lock") + 30;
        g.setColor(CYCLE);
        g.setStroke(new BasicStroke(2.4f));
        g.drawLine(x, y - 3, x + 30, y - 3);
        g.setColor(TEXT);
        g.drawString("waits for / held by: the cycle", x + 38, y + 2);
    }

    private static void centred(Graphics2D g, Font font, String text, double x, double y) {
        g.setFont(font);
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, (float) (x - w / 2.0), (float) y);
    }
}

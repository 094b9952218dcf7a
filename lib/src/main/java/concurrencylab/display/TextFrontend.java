package concurrencylab.display;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Inside a Jupyter kernel whose display API the lab cannot reach: the first output says so, once,
 * naming the kernel and what was looked for; then every chart, table and page is printed as its
 * plain-text form. Files would be no use here: nobody looks for them from a notebook.
 */
final class TextFrontend implements Frontend {

    private final String kernel;
    private final String lookedFor;
    private final AtomicBoolean warned = new AtomicBoolean();
    private final AtomicInteger ids = new AtomicInteger();

    TextFrontend(String kernel, String lookedFor) {
        this.kernel = kernel;
        this.lookedFor = lookedFor;
    }

    /** The one-time notice, as it appears in the cell's output. */
    String notice() {
        return "Concurrency Lab: this notebook runs on a Java kernel (" + kernel + ") whose display API"
                + " the lab could not reach, so charts and tables appear below as text only. Looked for: "
                + lookedFor + ". Run ./lab --kernel ijava (or rapaio) to use a kernel the lab knows, or report"
                + " this kernel and its version to the project.";
    }

    @Override
    public String name() {
        return kernel + " (display API not found)";
    }

    /** False: nothing here is drawn or replaced in place, so live displays print lines, as outside Jupyter. */
    @Override
    public boolean inNotebook() {
        return false;
    }

    @Override
    public void show(Shown item) {
        print(item);
    }

    @Override
    public String showUpdatable(Shown item) {
        print(item);
        return "text-" + ids.incrementAndGet();
    }

    @Override
    public void update(String id, Shown item) {
        print(item);
    }

    private void print(Shown item) {
        // System.out is looked up each time: kernels give each cell its own stream.
        if (warned.compareAndSet(false, true)) {
            System.out.println(notice());
        }
        System.out.println(switch (item) {
            case Shown.Image image -> "[" + image.summary() + ": an image, not shown]";
            case Shown.Markup markup -> markup.text();
            case Shown.Text text -> text.text();
        });
    }
}

package concurrencylab.display.fake;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for IJava's entry class and its kernel, with the real {@code DisplayData} of the
 * base kernel that IJava 1.3.0 and JJava build on: {@code getKernelInstance()} is null until a
 * test sets it, and the kernel records the bundle of each {@code display(DisplayData)}.
 */
public final class FakeIJavaKernel {
    public static FakeIJavaKernel instance;

    public final List<Map<String, Object>> displayed = new ArrayList<>();
    public final List<String> displayIds = new ArrayList<>();
    public final Io io = new Io();

    public static FakeIJavaKernel getKernelInstance() {
        return instance;
    }

    public Io getIO() {
        return io;
    }

    public void display(DisplayData data) {
        displayIds.add(data.getDisplayId());
        displayed.add(bundleOf(data));
    }

    /** Shaped like the base kernel's JupyterIO: a public field {@code display}. */
    public static final class Io {
        public final Stream display = new Stream();
    }

    /** Shaped like the base kernel's DisplayStream. */
    public static final class Stream {
        public final List<String> updatedIds = new ArrayList<>();
        public final List<Map<String, Object>> updates = new ArrayList<>();

        public void updateDisplay(String id, DisplayData data) {
            updatedIds.add(id);
            updates.add(bundleOf(data));
        }
    }

    static Map<String, Object> bundleOf(DisplayData data) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        for (String mime : List.of("text/plain", "text/html", "image/png")) {
            Object value = data.getData(MIMEType.parse(mime));
            if (value != null) {
                bundle.put(mime, value);
            }
        }
        return bundle;
    }
}

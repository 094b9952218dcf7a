package org.dflib.jjava.jupyter.kernel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.ContentType;

/**
 * A kernel made of JJava's own classes (jjava-jupyter, the library JJava's kernel is built on):
 * its real {@link BaseKernel}, {@link JupyterIO} and {@code DisplayStream}, started and stopped
 * through the same {@code onStartup}/{@code onShutdown} that make JJava's kernel reachable from
 * {@link BaseKernel#notebookKernel()}. Only the last step is replaced: what the display stream
 * publishes is recorded here instead of being sent over ZeroMQ to the front end.
 *
 * <p>It lives in JJava's package because attaching a reply environment to {@link JupyterIO} is
 * package-private there, as the kernel does for each cell it runs.
 */
public final class StandInJJavaKernel extends BaseKernel {

    /** Every message body published to the iopub channel, in order. */
    public final List<ContentType<?>> published = new CopyOnWriteArrayList<>();

    public StandInJJavaKernel() {
        super("JJava", "stand-in",
                new LanguageInfo("Java", "21", "text/x-java-source", ".jshell", "java", null, null),
                List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(),
                null, new MagicsRegistry(), false, new StringStyler("", "", "", line -> ""));
        io.setEnv(new Recording(published));
    }

    /** Makes this the notebook's kernel, as JJava does on start-up. */
    public StandInJJavaKernel start() {
        onStartup();
        return this;
    }

    /** Stops being the notebook's kernel. */
    public void stop() {
        onShutdown(false);
    }

    @Override
    public Object evalRaw(String source) {
        throw new UnsupportedOperationException("a stand-in kernel runs no code");
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return null;
    }

    @Override
    public String isComplete(String code) {
        return IS_COMPLETE_YES;
    }

    /** The reply environment of a cell, minus the sockets: it keeps what it would publish. */
    private static final class Recording extends ShellReplyEnvironment {
        private final List<ContentType<?>> published;

        Recording(List<ContentType<?>> published) {
            super(null, null, null, null);
            this.published = published;
        }

        @Override
        public <T extends ContentType<T>> void publish(T content) {
            published.add(content);
        }
    }
}

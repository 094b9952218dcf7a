package org.rapaio.jupyter.kernel.channels;

/**
 * A corrected stand-in for rapaio-jupyter-kernel 3.0.1's {@code LoopThread}, which ./lab
 * compiles and puts before the kernel's jar on its class path.
 *
 * <p>The original sets its {@code running} flag only after {@code Thread.start()} returns, so a
 * new loop thread that gets a core first reads {@code false} and ends at once. When that thread
 * is the shell channel's, the kernel never answers and Jupyter waits for it forever (on a
 * 2-core machine, a large share of kernel starts). Here the flag is set before the thread
 * starts; everything else behaves as the original does.
 */
public final class LoopThread extends Thread {

    private volatile boolean running;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        while (running) {
            loopBody.run();
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    public void shutdown() {
        running = false;
    }
}

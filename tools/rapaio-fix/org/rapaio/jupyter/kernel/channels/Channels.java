package org.rapaio.jupyter.kernel.channels;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageId;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ErrorReply;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.jupyter.kernel.message.messages.IOPubStream;
import org.rapaio.org.zeromq.ZMQ; // jeromq, relocated inside the kernel's jar

/**
 * A corrected stand-in for rapaio-jupyter-kernel 3.0.1's {@code Channels}, with the same public
 * methods, which ./lab compiles and puts before the kernel's jar on its class path.
 *
 * <p>The shell and the control channel each handle messages on a loop thread of their own, but
 * the original keeps one "message being answered" and one list of "actions after it" for both.
 * When Jupyter sends a {@code kernel_info_request} or an {@code interrupt_request} on the control
 * channel while a cell runs (servers and clients do, to see that the kernel is alive), the control
 * thread replaces the cell's message id and runs the cell's pending actions (its reply and its
 * "idle"), so the cell's answer goes out early under the wrong parent and the front end waits for
 * it forever. Seen here as a server check whose first cell got no answer, lessons whose kernel
 * did not answer within 30 s, and interrupts that left the kernel silent. The original also
 * starts the channels' threads before it has filled in their handlers, so a message that comes
 * in at once meets a null map.
 *
 * <p>And any thread sends on the IOPub socket itself, the cell's own threads too (they print and
 * update displays). Interrupt one in the middle of a send (a cell's code stopping its helper
 * thread, or an interrupt_request stopping the cell) and jeromq gives up with EINTR after some
 * of the message's frames: the next message is glued onto them, its signature check fails in
 * Jupyter, and it is lost (seen here as a progress bar whose every update went missing, and as
 * "Invalid Signature" in nbclient).
 *
 * <p>Here each handling thread has its own message id and its own pending actions; output from
 * any other thread (the cell's own threads, which print and display) goes under the execute
 * request being run; the handlers exist before any channel listens; and one thread of the
 * kernel's own, which nothing interrupts, sends every IOPub message, while the caller waits for
 * it without being interruptible (and keeps its interrupt for afterwards).
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class Channels {

    private final ConnectionProperties connProps;
    private final ZMQ.Context ctx;

    private final HeartbeatChannel heartbeat;
    private final ShellChannel shell;
    private final ControlChannel control;
    private final StdinChannel stdin;
    private final IOPubChannel iopub;
    private final Set<AbstractChannel> channels;

    /** The message the current loop thread is answering. */
    private final ThreadLocal<MessageId<?>> answering = new ThreadLocal<>();
    /** The execute request being run: what the cell's own threads' output belongs to. */
    private volatile MessageId<?> executing;
    /** What the current loop thread does once its handler returns. */
    private final ThreadLocal<Deque<Runnable>> afterActions = ThreadLocal.withInitial(ArrayDeque::new);

    private volatile Map<MessageType<?>, MessageHandler> handlers = Map.of();
    private boolean isConnected = false;
    private volatile boolean requestShutdown = false;

    /** Sends every IOPub message, in the order they were published; nothing interrupts it. */
    private final ExecutorService iopubSender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "iopub-sender");
        thread.setDaemon(true);
        senderThread = thread;
        return thread;
    });
    private volatile Thread senderThread;

    public Channels(ConnectionProperties connProps) throws NoSuchAlgorithmException, InvalidKeyException {
        this.connProps = connProps;
        ctx = ZMQ.context(1);

        HMACDigest hmacDigest = connProps.createHMACDigest();

        heartbeat = new HeartbeatChannel(this, ctx, hmacDigest);
        shell = new ShellChannel(this, ctx, hmacDigest, this);
        control = new ControlChannel(this, ctx, hmacDigest);
        stdin = new StdinChannel(this, ctx, hmacDigest);
        iopub = new IOPubChannel(this, ctx, hmacDigest);

        channels = Set.of(heartbeat, shell, control, stdin, iopub);
    }

    public synchronized void connect(RapaioKernel kernel) {
        if (isConnected) {
            return;
        }
        kernel.registerChannels(this);
        handlers = Map.ofEntries(
                Map.entry(MessageType.SHELL_EXECUTE_REQUEST, (MessageHandler) kernel::handleExecuteRequest),
                Map.entry(MessageType.SHELL_INSPECT_REQUEST, (MessageHandler) kernel::handleInspectRequest),
                Map.entry(MessageType.SHELL_COMPLETE_REQUEST, (MessageHandler) kernel::handleCompleteRequest),
                Map.entry(MessageType.SHELL_HISTORY_REQUEST, (MessageHandler) kernel::handleHistoryRequest),
                Map.entry(MessageType.SHELL_IS_COMPLETE_REQUEST, (MessageHandler) kernel::handleIsCompleteRequest),
                Map.entry(MessageType.SHELL_KERNEL_INFO_REQUEST, (MessageHandler) kernel::handleKernelInfoRequest),
                Map.entry(MessageType.CONTROL_SHUTDOWN_REQUEST, (MessageHandler) kernel::handleShutdownRequest),
                Map.entry(MessageType.CONTROL_INTERRUPT_REQUEST, (MessageHandler) kernel::handleInterruptRequest),
                Map.entry(MessageType.CUSTOM_COMM_OPEN, (MessageHandler) kernel::handleCommOpenCommand),
                Map.entry(MessageType.CUSTOM_COMM_MSG, (MessageHandler) kernel::handleCommMsgCommand),
                Map.entry(MessageType.CUSTOM_COMM_CLOSE, (MessageHandler) kernel::handleCommCloseCommand),
                Map.entry(MessageType.SHELL_COMM_INFO_REQUEST, (MessageHandler) kernel::handleCommInfoRequest));
        channels.forEach(s -> s.bind(connProps));
        iopub.sendMessage(new Message<>(MessageType.IOPUB_STATUS, IOPubStatus.STARTING));
        isConnected = true;
    }

    public <T> MessageHandler<T> getHandler(MessageType<T> type) {
        return handlers.get(type);
    }

    public void close() {
        iopubSender.shutdown();
        channels.forEach(AbstractChannel::close);
        ctx.close();
    }

    public void joinUntilClose() {
        channels.forEach(AbstractChannel::joinUntilClose);
    }

    private MessageId<?> current() {
        MessageId<?> own = answering.get();
        return own != null ? own : executing;
    }

    public boolean hasMsgId() {
        return current() != null;
    }

    /** Called by a loop thread as it starts to answer a message. */
    public void setMsgId(MessageId<?> msgId) {
        answering.set(msgId);
        if (msgId != null && msgId.header() != null && MessageType.SHELL_EXECUTE_REQUEST.equals(msgId.header().type())) {
            executing = msgId;
        }
    }

    /** Called once the execute request has been answered. */
    public void freeMsgId() {
        MessageId<?> own = answering.get();
        if (own != null && own == executing) {
            executing = null;
        }
        answering.remove();
    }

    public void markForShutdown() {
        requestShutdown = true;
    }

    public boolean isMarkedForShutdown() {
        return requestShutdown;
    }

    public void writeToStdOut(String msg) {
        publish(new IOPubStream(IOPubStream.StreamName.OUT, msg));
    }

    public void writeToStdErr(String msg) {
        publish(new IOPubStream(IOPubStream.StreamName.ERR, msg));
    }

    public String readFromStdIn() {
        return stdin.getInput(current(), "", false);
    }

    public <T extends ContentType<T>> void publish(T content) {
        Message<T> message = new Message<>(current(), content.type(), content);
        if (Thread.currentThread() == senderThread) {
            iopub.sendMessage(message); // something the send itself printed: waiting for ourselves would never end
            return;
        }
        Future<?> sent;
        try {
            sent = iopubSender.submit(() -> iopub.sendMessage(message));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            return; // the kernel is shutting down: nobody listens any more
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    sent.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the message must go out whole; the interrupt is kept
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public <T extends ContentType<T>> void reply(T content) {
        shell.sendMessage(new Message<>(current(), content.type(), content));
    }

    public void replyError(MessageType<?> type, ErrorReply error) {
        shell.sendMessage(new Message(current(), type, error));
    }

    public void scheduleAfter(Runnable action) {
        afterActions.get().push(action);
    }

    public void runAfterActions() {
        Deque<Runnable> actions = afterActions.get();
        while (!actions.isEmpty()) {
            actions.pop().run();
        }
    }

    public void busyThenIdle() {
        publish(IOPubStatus.BUSY);
        scheduleAfter(() -> publish(IOPubStatus.IDLE));
    }
}

package concurrencylab.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import concurrencylab.runners.WorkerFailedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProducerConsumerTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(ProducerConsumer.Style.class)
    void consumersCountAfterStartOneNumberATick(ProducerConsumer.Style style) {
        ProducerConsumerRun run = ProducerConsumer.builder(Commands.script(Duration.ofMillis(100), "hello", "Start"))
                .consumers(2).tick(Duration.ofMillis(20)).style(style).output(out).build().run();
        assertThat(printed()).contains("producer: unknown command 'hello'", "0 from consumer 1", "9 from consumer 2");
        for (int k = 1; k <= 2; k++) {
            var counts = run.countsOf(k);
            assertThat(counts).extracting(ProducerConsumerRun.Event::what).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
            assertThat(counts.get(0).startMillis()).as("no count before Start").isGreaterThanOrEqualTo(run.startedMillis());
            assertThat(counts.get(9).startMillis() - counts.get(0).startMillis()).as("nine ticks apart").isGreaterThanOrEqualTo(9 * 20 - 1);
        }
    }

    @Test
    void pollingWastesWakeUpsAndWaitingWastesNone() {
        // Start comes a second in: long enough that each polling consumer looks at the unset flag
        // at least once however busy the machine (about 100 times each on a quiet one).
        ProducerConsumerRun polling = ProducerConsumer.builder(Commands.script(Duration.ofMillis(1000), "Start"))
                .consumers(3).tick(Duration.ofMillis(10)).counts(1).style(ProducerConsumer.Style.POLLING).output(out).build().run();
        ProducerConsumerRun waiting = ProducerConsumer.builder(Commands.script(Duration.ofMillis(1000), "Start"))
                .consumers(3).tick(Duration.ofMillis(10)).counts(1).style(ProducerConsumer.Style.WAITING).output(out).build().run();
        assertThat(polling.wastedWakeUps()).as("at least one wasted look per consumer").isGreaterThanOrEqualTo(3);
        assertThat(waiting.wastedWakeUps()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ProducerConsumer.Style.class)
    void theEndOfInputWithoutStartStopsEveryone(ProducerConsumer.Style style) {
        ProducerConsumerRun run = ProducerConsumer.builder(Commands.from(new ByteArrayInputStream(new byte[0])))
                .consumers(2).tick(Duration.ofMillis(10)).style(style).output(out).build().run();
        assertThat(printed()).contains("no more commands");
        assertThat(run.countsOf(1)).isEmpty();
        assertThat(run.startedMillis()).isEqualTo(-1);
    }

    @Test
    void keyboardLinesAreCommands() throws Exception {
        Commands typed = Commands.from(new ByteArrayInputStream("  hello \nStart\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(typed.next()).contains("hello");
        assertThat(typed.next()).contains("Start");
        assertThat(typed.next()).isEmpty();
        assertThat(typed.isScripted()).isFalse();
    }

    @Test
    void virtualThreadsRunTheSameProgram() {
        ProducerConsumerRun run = ProducerConsumer.builder(Commands.script(Duration.ofMillis(10), "Start"))
                .consumers(100).tick(Duration.ofMillis(5)).virtualThreads(true).output(out).build().run();
        assertThat(run.threads()).isEqualTo("virtual");
        assertThat(run.countsOf(100)).hasSize(10);
    }

    @Test
    void anExceptionInAConsumerSurfacesWithItsStackAndStopsTheRest() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ProducerConsumer.builder(Commands.script(Duration.ofMillis(10), "Start"))
                .consumers(3).tick(Duration.ofMillis(200)).output(out)
                .onCount((consumer, i) -> {
                    if (consumer == 2 && i == 1) {
                        failHere();
                    }
                }).build().run())
                .isInstanceOf(WorkerFailedException.class).hasMessageContaining("consumer 2 failed")
                .satisfies(e -> assertThat(e.getCause().getStackTrace()).extracting(StackTraceElement::getMethodName).contains("failHere"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the others did not count to the end").isLessThan(Duration.ofMillis(1_500));
    }

    private static void failHere() {
        throw new IllegalStateException("broken consumer");
    }

    @ParameterizedTest
    @EnumSource(ProducerConsumer.Style.class)
    void interruptingTheCallerStopsEveryThreadWithinASecond(ProducerConsumer.Style style) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                ProducerConsumer.builder(Commands.script(Duration.ofSeconds(30), "Start"))
                        .consumers(3).tick(Duration.ofSeconds(5)).style(style).output(out).build().run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(200);
        long t0 = System.nanoTime();
        caller.interrupt();
        caller.join(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(failure.get()).isInstanceOf(CancellationException.class);
        Thread.sleep(50);
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.equals("producer") || n.startsWith("consumer-"))).isEmpty();
    }

    @Test
    void badParametersGetOneClearMessageEach() {
        assertThatThrownBy(() -> Commands.script(Duration.ofSeconds(1))).hasMessageContaining("the script has no commands");
        assertThatThrownBy(() -> Commands.script(Duration.ofSeconds(1), " ")).hasMessageContaining("empty");
        Commands commands = Commands.script(Duration.ZERO, "Start");
        assertThatThrownBy(() -> ProducerConsumer.builder(commands).consumers(0)).hasMessageContaining("consumers must be between 1");
        assertThatThrownBy(() -> ProducerConsumer.builder(commands).tick(Duration.ZERO)).hasMessageContaining("tick must be between 1 ms");
        assertThatThrownBy(() -> ProducerConsumer.builder(commands).tick(Duration.ofMillis(-5))).hasMessageContaining("tick");
        assertThatThrownBy(() -> ProducerConsumer.builder(commands).counts(0)).hasMessageContaining("counts must be between 1");
    }

    @Test
    void theTimelineNamesTheProducerAndTheConsumers() {
        ProducerConsumerRun run = ProducerConsumer.builder(Commands.script(Duration.ofMillis(30), "Start"))
                .consumers(2).tick(Duration.ofMillis(5)).style(ProducerConsumer.Style.POLLING).output(out).build().run();
        var chart = run.timelineChart();
        var axis = (org.jfree.chart.axis.SymbolAxis) chart.getXYPlot().getDomainAxis();
        assertThat(axis.getSymbols()).containsExactly("", "producer", "consumer 1", "consumer 2");
        assertThat(run.toString()).contains("polling").contains("wasted wake-up");
    }
}

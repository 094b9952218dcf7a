package concurrencylab.visibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JitRaceTest {

    @Test
    void theInterpreterAlwaysSeesThePlainWrite() {
        JitRaceRun run = JitRace.run(JitRace.Loop.PLAIN, JitRace.Jit.INTERPRETER, Duration.ofMillis(100), Duration.ofSeconds(5));
        assertThat(run.sawWrite()).isTrue();
        assertThat(run.compiles()).isEmpty();
        assertThat(run.endedMillis()).isGreaterThanOrEqualTo(run.wroteMillis());
    }

    @Test
    void aVolatileReaderSeesTheWriteWithTheJitOn() {
        JitRaceRun run = JitRace.run(JitRace.Loop.VOLATILE, JitRace.Jit.TIERED, Duration.ofMillis(300), Duration.ofSeconds(5));
        assertThat(run.sawWrite()).isTrue();
    }

    @Test
    void printCompilationLinesOfTheLoopAreRead() {
        String out = String.join("\n",
                "@race start 40",
                "     43   48 %     4       concurrencylab.visibility.JitRaceMain::spinPlain @ 2 (24 bytes)",
                "     42   46 %     3       concurrencylab.visibility.JitRaceMain::spinPlain @ 2 (24 bytes)",
                "     44   46 %     3       concurrencylab.visibility.JitRaceMain::spinPlain @ 2 (24 bytes)   made not entrant: OSR invalidation of lower level",
                "     45   50       3       java.lang.String::hashCode (60 bytes)",
                "@race wrote 300",
                "     45   51       1       java.lang.Object::<init> (1 bytes)@race halted 1300");
        JitRaceRun run = JitRace.parse(JitRace.Loop.PLAIN, JitRace.Jit.TIERED, out);
        assertThat(run.compiles()).containsExactly(new JitRace.Compile(43, 4, true), new JitRace.Compile(42, 3, true));
        assertThat(run.c2Millis()).isEqualTo(43);
        assertThat(run.compiledBeforeWrite()).isTrue();
        assertThat(run.sawWrite()).isFalse();
        assertThat(run.outcome()).contains("never saw").contains("1,000 ms");
    }

    @Test
    void aChildThatReportsNothingIsAnError() {
        assertThatThrownBy(() -> JitRace.parse(JitRace.Loop.PLAIN, JitRace.Jit.TIERED, "Error: something"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not report");
    }

    @Test
    void anInterruptKillsTheChildWithinASecond() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                JitRace.run(JitRace.Loop.PLAIN, JitRace.Jit.TIERED, Duration.ofMillis(200), Duration.ofSeconds(30));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "jit-race-caller");
        caller.start();
        Thread.sleep(800);
        long interrupted = System.nanoTime();
        caller.interrupt();
        caller.join(5_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat((System.nanoTime() - interrupted) / 1_000_000).isLessThan(1_000);
        assertThat(thrown.get()).isInstanceOf(CancellationException.class);
        Thread.sleep(200);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count()).isZero();
    }

    @Test
    void aBadGiveUpIsRefused() {
        assertThatThrownBy(() -> JitRace.run(JitRace.Loop.PLAIN, JitRace.Jit.TIERED, Duration.ZERO, Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("giveUp");
    }
}

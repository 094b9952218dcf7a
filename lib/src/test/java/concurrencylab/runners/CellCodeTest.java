package concurrencylab.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Code written in a notebook cell: compiled for child JVMs, or refused there with a reason. */
class CellCodeTest {

    private static final String SQUARES = """
            public class Squares implements java.util.function.LongUnaryOperator {
                public long applyAsLong(long n) {
                    System.out.println("squaring " + n);
                    return n * n;
                }
            }
            """;

    @Test
    void childJvmsRunCodeCompiledFromACellAndItsOutputReachesTheCaller() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();

        Run run = Runner.builder(Strategy.PROCESSES).workers(2)
                .output(new PrintStream(captured, true, StandardCharsets.UTF_8))
                .build().run(Task.compiled(SQUARES, 12));

        assertThat(run.results()).containsExactly(144L, 144L);
        assertThat(captured.toString(StandardCharsets.UTF_8).lines())
                .containsExactlyInAnyOrder("[worker 1] squaring 12", "[worker 2] squaring 12");
    }

    @Test
    void threadsRunCompiledCodeToo() {
        assertThat(Runner.run(Strategy.THREADS, 2, Task.compiled(SQUARES, 3)).results()).containsExactly(9L, 9L);
    }

    @Test
    void aCompileErrorNamesItsLine() {
        String broken = """
                public class Broken implements java.util.function.LongUnaryOperator {
                    public long applyAsLong(long n) { return n * }
                }
                """;

        assertThatThrownBy(() -> Task.compiled(broken, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the task's source does not compile: line 2:");
    }

    @Test
    void sourceWithoutAPublicClassIsRejectedWithAnExample() {
        assertThatThrownBy(() -> Task.compiled("class Hidden {}", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must declare a public class");
    }

    @Test
    void aLambdaRunsOnThreads() {
        assertThat(Runner.run(Strategy.THREADS, 2, Task.of(n -> n + 1, 41)).results()).containsExactly(42L, 42L);
    }

    @Test
    void aLambdaCannotBeSentToAChildJvmAndTheErrorSaysWhatToDo() {
        assertThatThrownBy(() -> Runner.run(Strategy.PROCESSES, 2, Task.of(n -> n + 1, 41)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exists only in this kernel's JVM")
                .hasMessageContaining("Task.compiled(source, argument)");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aChildWhoseCodeThrowsFailsTheRunWithItsExitStatusAndStderr() {
        String failing = """
                public class Failing implements java.util.function.LongUnaryOperator {
                    public long applyAsLong(long n) { throw new IllegalStateException("no luck with " + n); }
                }
                """;

        assertThatThrownBy(() -> Runner.run(Strategy.PROCESSES, 2, Task.compiled(failing, 7)))
                .isInstanceOf(WorkerFailedException.class)
                .hasMessageContaining("exited with status 1")
                .hasMessageContaining("IllegalStateException: no luck with 7");
    }
}

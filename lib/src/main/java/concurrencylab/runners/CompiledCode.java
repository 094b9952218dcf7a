package concurrencylab.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a class written in a cell into a folder that any JVM on this machine can load: how
 * code typed into a notebook reaches child JVMs (for {@link Task#compiled} and for process
 * pools), since a lambda exists only in the JVM that made it.
 */
public final class CompiledCode {

    private static final Pattern PUBLIC_CLASS = Pattern.compile("public\\s+(?:final\\s+)?class\\s+([A-Za-z_$][\\w$]*)");

    private CompiledCode() {}

    /**
     * Compiles {@code source}, which declares the public class {@code className} (see
     * {@link #className}), against the helper jar; returns the folder that holds the classes.
     *
     * @throws IllegalArgumentException if it does not compile, naming each error's line
     */
    public static Path compile(String source, String className) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("this JVM has no Java compiler (a JRE, not a JDK): run the kernel on a JDK");
        }
        try {
            Path folder = Files.createTempDirectory("concurrency-lab-task");
            Path file = folder.resolve(className + ".java");
            Files.writeString(file, source);
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
                boolean ok = compiler.getTask(null, files, diagnostics,
                        List.of("-d", folder.toString(), "-classpath", ChildJvms.classpath(), "-proc:none"),
                        null, files.getJavaFileObjects(file)).call();
                if (!ok) {
                    String errors = diagnostics.getDiagnostics().stream()
                            .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                            .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                            .collect(Collectors.joining("; "));
                    throw new IllegalArgumentException("the task's source does not compile: " + errors);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("could not compile the task: " + e.getMessage(), e);
        }
    }

    /**
     * The name of the public class the source declares.
     *
     * @param example how such a class begins, for the message when there is none
     * @throws IllegalArgumentException if the source declares no public class
     */
    public static String className(String source, String example) {
        Matcher matcher = PUBLIC_CLASS.matcher(source);
        if (!matcher.find()) {
            throw new IllegalArgumentException("the task's source must declare a public class, e.g. " + example + " { ... }");
        }
        return matcher.group(1);
    }

    /**
     * Loads the compiled class from its folder and makes an instance with its public
     * no-argument constructor.
     *
     * @throws IllegalArgumentException if the class cannot be loaded or made, or is not a {@code type}
     */
    public static <T> T load(Path folder, String className, Class<T> type) {
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {folder.toUri().toURL()}, CompiledCode.class.getClassLoader());
            Class<?> loaded = loader.loadClass(className);
            if (!type.isAssignableFrom(loaded)) {
                throw new IllegalArgumentException(className + " must implement " + type.getName());
            }
            return type.cast(loaded.getConstructor().newInstance());
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalArgumentException("could not load " + className + " from " + folder + ": " + e, e);
        }
    }
}

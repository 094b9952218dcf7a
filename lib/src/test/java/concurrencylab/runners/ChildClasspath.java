package concurrencylab.runners;

/** For tests of other packages: the class path child JVMs get (null: the real one). */
public final class ChildClasspath {

    private ChildClasspath() {}

    public static void use(String classpath) {
        ChildJvms.classpathForTests = classpath;
    }
}

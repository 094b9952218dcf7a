package concurrencylab.display;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Reflection helpers shared by the kernel front ends: we compile against no kernel. */
final class KernelCalls {

    private KernelCalls() {}

    /** Loads a class visible to the notebook's code, or returns null when it is not there. */
    static Class<?> find(String className) {
        for (ClassLoader loader : candidateLoaders()) {
            if (loader == null) {
                continue;
            }
            try {
                return Class.forName(className, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // Not visible from this loader; try the next one.
            }
        }
        return null;
    }

    private static ClassLoader[] candidateLoaders() {
        return new ClassLoader[] {
            Thread.currentThread().getContextClassLoader(),
            KernelCalls.class.getClassLoader(),
            ClassLoader.getSystemClassLoader()
        };
    }

    static Method method(Class<?> owner, String name, Class<?>... parameterTypes) {
        try {
            return owner.getMethod(name, parameterTypes);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Calls a static method, unwrapping the exception the kernel threw. */
    static Object callStatic(Method method, Object... args) {
        try {
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("The kernel's display call failed: " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("The kernel's display call is not accessible: " + method, e);
        }
    }
}

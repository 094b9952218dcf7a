package concurrencylab.display.fake;

import java.util.ArrayList;
import java.util.List;

/** Stands in for IJava's and JJava's {@code runtime.Display}: object first, MIME types after. */
public final class FakeIJavaDisplay {
    public static final List<List<Object>> CALLS = new ArrayList<>();

    public static String display(Object o, String... as) {
        CALLS.add(List.of(o, List.of(as)));
        return "id-3";
    }
}

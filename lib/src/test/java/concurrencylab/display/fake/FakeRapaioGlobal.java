package concurrencylab.display.fake;

import java.util.ArrayList;
import java.util.List;

/** Stands in for rapaio's {@code Global}: same display signatures, records each call. */
public final class FakeRapaioGlobal {
    public static final List<List<Object>> CALLS = new ArrayList<>();

    public static String display(Object o) {
        CALLS.add(List.of("display(Object)", o));
        return "id-1";
    }

    public static String display(String mime, Object o) {
        CALLS.add(List.of("display(String,Object)", mime, o));
        return "id-2";
    }

    public static void updateDisplay(String id, Object o) {
        CALLS.add(List.of("updateDisplay(String,Object)", id, o));
    }

    public static void updateDisplay(String id, String mime, Object o) {
        CALLS.add(List.of("updateDisplay(String,String,Object)", id, mime, o));
    }
}

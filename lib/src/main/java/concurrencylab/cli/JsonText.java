package concurrencylab.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * The command line's JSON, written with Jackson's streaming generator: the maps, lists, records
 * and plain values the experiments report, indented as Jackson's object mapper would. (Setting
 * up the object mapper made up a third of the command line's start-up, 150 ms, for output this
 * simple.)
 */
final class JsonText {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {}

    /** {@code value} as indented JSON. */
    static String of(Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            out.useDefaultPrettyPrinter();
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case String s -> out.writeString(s);
            case Boolean b -> out.writeBoolean(b);
            case Integer i -> out.writeNumber(i);
            case Long l -> out.writeNumber(l);
            case Short s -> out.writeNumber(s);
            case Byte b -> out.writeNumber(b);
            case Double d -> out.writeNumber(d);
            case Float f -> out.writeNumber(f);
            case BigInteger b -> out.writeNumber(b);
            case BigDecimal b -> out.writeNumber(b);
            case Character c -> out.writeString(c.toString());
            case Enum<?> e -> out.writeString(e.name());
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeFieldName(String.valueOf(entry.getKey()));
                    write(out, entry.getValue());
                }
                out.writeEndObject();
            }
            case Iterable<?> items -> {
                out.writeStartArray();
                for (Object item : items) {
                    write(out, item);
                }
                out.writeEndArray();
            }
            case Record record -> {
                out.writeStartObject();
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    out.writeFieldName(component.getName());
                    write(out, read(record, component));
                }
                out.writeEndObject();
            }
            default -> {
                if (!value.getClass().isArray()) {
                    throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
                }
                out.writeStartArray();
                for (int i = 0, n = Array.getLength(value); i < n; i++) {
                    write(out, Array.get(value, i));
                }
                out.writeEndArray();
            }
        }
    }

    private static Object read(Record record, RecordComponent component) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + component + " for JSON: " + e.getMessage(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("reading " + component + " for JSON failed: " + e.getCause(), e.getCause());
        }
    }
}

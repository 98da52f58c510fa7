package org.omomi.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTrip() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a \"quoted\"\nline ✓");
        m.put("n", 1.25);
        m.put("i", 3L);
        m.put("f", 0.1f);
        m.put("b", true);
        m.put("z", null);
        m.put("l", List.of(1.0, "x", Map.of("k", false)));
        m.put("inf", Double.POSITIVE_INFINITY);
        String text = Json.write(m);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(text);
        assertEquals("a \"quoted\"\nline ✓", back.get("s"));
        assertEquals(1.25, back.get("n"));
        assertEquals(3.0, back.get("i"));
        assertEquals(0.1f, ((Double) back.get("f")).floatValue());
        assertEquals(Double.POSITIVE_INFINITY, back.get("inf"));
        assertEquals(List.of("s", "n", "i", "f", "b", "z", "l", "inf"), List.copyOf(back.keySet()));
    }

    @Test
    void errorsNameLineAndColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\n  \"a\": [1, 2,, 3]\n}"));
        assertTrue(e.getMessage().startsWith("JSON line 2, column 14"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} extra"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
    }
}

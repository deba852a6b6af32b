package io.edgefleet.gateway.nodes;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A command's output is bounded: its end is kept. */
class TailBufferTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheLastBytesAcrossWritesOfAnySize() {
        TailBuffer buffer = new TailBuffer(8);
        buffer.write(bytes("abc"));
        assertEquals("abc", buffer.text());
        buffer.write(bytes("defghij"));
        assertEquals("cdefghij", buffer.text());
        buffer.write(bytes("0123456789XY"));
        assertEquals("456789XY", buffer.text());
        buffer.write(bytes("z"));
        assertEquals("56789XYz", buffer.text());
    }
}

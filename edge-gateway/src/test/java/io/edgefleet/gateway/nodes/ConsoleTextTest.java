package io.edgefleet.gateway.nodes;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleTextTest {

    @Test
    void dropsEscapesCarriageReturnsAndBlankLines() {
        byte[] raw = "\u001B[0;32m[  OK  ]\u001B[0m Started foo\r\n\r\n\u001B]0;title\u0007login: \r\n"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("[  OK  ] Started foo", "login: "), ConsoleText.lines(raw));
    }

    @Test
    void keepsTheLastLinesWithinTheLineLimit() {
        ConsoleText.Tail tail = ConsoleText.last(List.of("a", "b", "c", "d"), 2, 1000);
        assertEquals(List.of("c", "d"), tail.lines());
        assertFalse(tail.truncated(), "the line limit is what was asked for, not a truncation");
    }

    @Test
    void keepsTheLastLinesThatFitTheByteLimitAndSaysSo() {
        // each line costs its bytes and a newline: "ccc\n" + "ddd\n" = 8 bytes, "bbb\n" would make 12
        ConsoleText.Tail tail = ConsoleText.last(List.of("aaa", "bbb", "ccc", "ddd"), 10, 10);
        assertEquals(List.of("ccc", "ddd"), tail.lines());
        assertTrue(tail.truncated());
    }

    @Test
    void aLastLineLongerThanTheLimitKeepsItsEndWithoutCuttingACharacter() {
        ConsoleText.Tail tail = ConsoleText.last(List.of("x", "0123456789é"), 5, 5);
        // 4 bytes of text (one for the newline): "89é" is 1 + 1 + 2 bytes
        assertEquals(List.of("89é"), tail.lines());
        assertTrue(tail.truncated());
    }

    @Test
    void nothingToShowIsAnEmptyTail() {
        assertEquals(new ConsoleText.Tail(List.of(), false), ConsoleText.last(List.of(), 100, 100));
    }
}

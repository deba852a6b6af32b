package io.edgefleet.gateway.nodes;

import java.nio.charset.StandardCharsets;

/** Keeps the last {@code capacity} bytes written: a chatty command cannot fill the gateway's memory. */
public final class TailBuffer {

    private final byte[] ring;
    private long written;

    public TailBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.ring = new byte[capacity];
    }

    public synchronized void write(byte[] bytes) {
        if (bytes == null) {
            return;
        }
        int from = Math.max(0, bytes.length - ring.length);
        written += from; // bytes that would be overwritten at once are skipped, keeping positions right
        for (int i = from; i < bytes.length; i++) {
            ring[(int) (written++ % ring.length)] = bytes[i];
        }
    }

    /** The kept bytes as UTF-8 (a character cut at the start shows as a replacement character). */
    public synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}

package io.edgefleet.policy.store;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretBoxTest {

    private static String key(int fill) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) fill);
        return Base64.getEncoder().encodeToString(raw);
    }

    @Test
    void sealsAndOpens() {
        SecretBox box = new SecretBox(key(1));
        String a = box.seal("wJalrXUtnFEMI/K7MDENG");
        String b = box.seal("wJalrXUtnFEMI/K7MDENG");
        assertNotEquals(a, b); // a fresh nonce each time
        assertFalse(a.contains("wJalr"));
        assertEquals("wJalrXUtnFEMI/K7MDENG", box.open(a));
    }

    @Test
    void anotherKeyOrATamperedValueCannotOpen() {
        String sealed = new SecretBox(key(1)).seal("secret");
        assertThrows(IllegalStateException.class, () -> new SecretBox(key(2)).open(sealed));
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThrows(IllegalStateException.class, () -> new SecretBox(key(1)).open(tampered));
    }

    @Test
    void keysMustBe32Bytes() {
        assertThrows(
                IllegalStateException.class,
                () -> new SecretBox(Base64.getEncoder().encodeToString(new byte[16])));
        assertThrows(IllegalStateException.class, () -> new SecretBox("not base64!"));
    }
}

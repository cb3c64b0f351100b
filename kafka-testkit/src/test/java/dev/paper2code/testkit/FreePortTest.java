package dev.paper2code.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {
    /**
     * A broker's client and controller ports, and the services' HTTP ports, are picked one after the
     * other and bound later; the OS may return a just-closed port again (LocalKafkaBrokerTest once
     * failed with both listeners on one port), so no port may be handed out twice.
     */
    @Test
    void noPortIsHandedOutTwice() throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            ports.add(LocalKafkaBroker.freePort());
        }
        assertEquals(2_000, ports.size());
    }
}

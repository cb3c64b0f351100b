package dev.paper2code.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 10.8: the launcher did not notice a child service dying; it waited for training that could not end. */
class ChildWatchTest {
    @Test
    void aChildThatDiesIsReportedWithItsNameAndExitCodeAndOneStoppedOnPurposeIsNot() throws Exception {
        List<String> reported = new CopyOnWriteArrayList<>();
        ChildWatch watch = new ChildWatch((name, code) -> reported.add(name + "=" + code));

        Process crashing = new ProcessBuilder("sh", "-c", "sleep 0.2; exit 3").start();
        watch.watch("tokenizer", crashing);
        Process stopped = new ProcessBuilder("sleep", "30").start();
        watch.watch("trainer", stopped);
        watch.release(stopped);
        stopped.destroy();

        assertTrue(crashing.waitFor(10, TimeUnit.SECONDS));
        assertTrue(stopped.waitFor(10, TimeUnit.SECONDS));
        for (int i = 0; i < 50 && reported.isEmpty(); i++) {
            Thread.sleep(100);
        }
        Thread.sleep(200);
        assertEquals(List.of("tokenizer=3"), reported);
    }
}

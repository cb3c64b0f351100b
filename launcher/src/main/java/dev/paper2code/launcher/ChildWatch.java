package dev.paper2code.launcher;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Notices a child process that exits while the local run still needs it (a service that crashed,
 * was OOM-killed, or was killed by hand), instead of waiting for a training run that can no longer
 * end. Processes the launcher stops itself are let go first and do not count.
 */
final class ChildWatch {
    private final BiConsumer<String, Integer> onUnexpectedExit;
    private final Set<Process> released = ConcurrentHashMap.newKeySet();

    /** @param onUnexpectedExit told the child's name and exit code */
    ChildWatch(BiConsumer<String, Integer> onUnexpectedExit) {
        this.onUnexpectedExit = onUnexpectedExit;
    }

    void watch(String name, Process process) {
        process.onExit().thenAccept(exited -> {
            if (!released.contains(exited)) {
                onUnexpectedExit.accept(name, exited.exitValue());
            }
        });
    }

    /** The launcher is about to stop this process itself. */
    void release(Process process) {
        released.add(process);
    }
}

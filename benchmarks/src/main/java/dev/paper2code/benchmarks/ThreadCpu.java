package dev.paper2code.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads, grouped by name: what a benchmark that runs a broker and an application
 * in one JVM needs to say how much of the machine each took. A thread that ends between two samples is
 * not counted (the benchmarks sample while the threads they measure are alive), and neither are the
 * JVM's own GC and JIT compiler threads, which ThreadMXBean does not list.
 */
final class ThreadCpu {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One thread's name and CPU nanoseconds when sampled. */
    record Sample(String name, long cpuNanos) {
    }

    private ThreadCpu() {
    }

    static Map<Long, Sample> sample() {
        Map<Long, Sample> samples = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null) {
                long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    samples.put(info.getThreadId(), new Sample(info.getThreadName(), cpu));
                }
            }
        }
        return samples;
    }

    /**
     * CPU seconds since {@code before}: [0] threads whose name contains {@code nameContains}, [1] every other
     * thread. A thread started since counts from zero.
     */
    static double[] secondsSince(Map<Long, Sample> before, String nameContains) {
        double[] seconds = new double[2];
        sample().forEach((id, now) -> {
            Sample then = before.get(id);
            long delta = now.cpuNanos() - (then == null ? 0 : then.cpuNanos());
            seconds[now.name().contains(nameContains) ? 0 : 1] += delta / 1e9;
        });
        return seconds;
    }
}

package dev.paper2code.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/** The JVM heap as the scale benchmark reads it: in use, after a GC, and the old generation's peak. */
final class HeapGauges {
    private HeapGauges() {
    }

    /** Starts a new peak window for {@link #peakOldGenMiB}. */
    static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The heap in use once a GC has run: what is still reachable. */
    static long afterGc() {
        System.gc();
        return heapInUseMiB();
    }

    static long oldGenMiB() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(HeapGauges::oldGeneration)
                .mapToLong(p -> p.getUsage().getUsed()).sum() >> 20;
    }

    /** The old generation's peak since {@link #resetPeaks}: what stayed long enough to be promoted. */
    static long peakOldGenMiB() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(HeapGauges::oldGeneration)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
    }

    static long heapInUseMiB() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    private static boolean oldGeneration(MemoryPoolMXBean pool) {
        return pool.getType() == MemoryType.HEAP && pool.getName().contains("Old");
    }
}

package org.m3sgg.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterruptsTest {

    @AfterEach
    void reset() {
        Interrupts.clear();
        Thread.interrupted();
    }

    @Test
    void requestIsSeenByOtherThreadsUntilCleared() throws Exception {
        assertFalse(Interrupts.requested());
        Interrupts.request();
        AtomicBoolean seen = new AtomicBoolean();
        Thread t = new Thread(() -> seen.set(Interrupts.requested()));
        t.start();
        t.join();
        assertTrue(seen.get());
        Interrupts.clear();
        assertFalse(Interrupts.requested());
    }

    @Test
    void anInterruptedThreadCountsAsARequestAndKeepsItsStatus() {
        Thread.currentThread().interrupt();
        assertTrue(Interrupts.requested());
        assertTrue(Thread.currentThread().isInterrupted());
        Thread.interrupted();
        assertFalse(Interrupts.requested());
    }
}

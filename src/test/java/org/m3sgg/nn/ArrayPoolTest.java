package org.m3sgg.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ArrayPoolTest {

    private static final long BIG = 1L << 30;

    @Test
    void internalArraysComeBackZeroedOnTheNextRun() {
        ArrayPool pool = new ArrayPool(BIG, 0, true);
        pool.beginRun();
        INDArray a = pool.allocate(false, DataType.FLOAT, 40, 50);
        a.assign(3);
        pool.beginRun();
        INDArray b = pool.allocate(false, DataType.FLOAT, 50, 40);
        assertSame(a.data(), b.data());
        assertArrayEquals(new long[] {50, 40}, b.shape());
        assertEquals(0.0, b.sumNumber().doubleValue());
        assertEquals(1, pool.reused());
        assertEquals(1, pool.allocated());
    }

    @Test
    void detachedArraysStayWithTheCallerUntilGivenBack() {
        ArrayPool pool = new ArrayPool(BIG, 0, true);
        pool.beginRun();
        INDArray a = pool.allocate(true, DataType.FLOAT, 1000);
        pool.beginRun();
        INDArray b = pool.allocate(true, DataType.FLOAT, 1000);
        assertNotSame(a.data(), b.data());
        pool.giveBack(List.of(a));
        INDArray c = pool.allocate(false, DataType.FLOAT, 1000);
        assertSame(a.data(), c.data());
    }

    @Test
    void withoutPoolingDetachedArraysTheCallerKeepsThem() {
        ArrayPool pool = new ArrayPool(BIG, 0, false);
        pool.beginRun();
        INDArray out = pool.allocate(true, DataType.FLOAT, 1000);
        INDArray internal = pool.allocate(false, DataType.FLOAT, 1000);
        pool.beginRun();
        INDArray next = pool.allocate(true, DataType.FLOAT, 1000);
        assertNotSame(out.data(), next.data());
        assertNotSame(internal.data(), next.data());
        assertSame(internal.data(), pool.allocate(false, DataType.FLOAT, 1000).data());
        pool.close();
        assertFalse(out.wasClosed());
    }

    @Test
    void aBufferServesSmallerRequestsWithinTheSlackOnlyAndOfItsOwnType() {
        ArrayPool pool = new ArrayPool(BIG, 0, true);
        pool.beginRun();
        INDArray a = pool.allocate(false, DataType.FLOAT, 1000);
        pool.beginRun();
        assertNotSame(a.data(), pool.allocate(false, DataType.DOUBLE, 1000).data());
        INDArray tooSmall = pool.allocate(false, DataType.FLOAT, 790);
        assertNotSame(a.data(), tooSmall.data());
        INDArray fits = pool.allocate(false, DataType.FLOAT, 10, 81);
        assertSame(a.data(), fits.data());
        assertEquals(810, fits.length());
        fits.assign(1);
        assertEquals(810.0, fits.sumNumber().doubleValue());
        INDArray larger = pool.allocate(false, DataType.FLOAT, 1001);
        assertNotSame(a.data(), larger.data());
    }

    @Test
    void smallArraysAreNotPooled() {
        ArrayPool pool = new ArrayPool(BIG);
        pool.beginRun();
        INDArray small = pool.allocate(false, DataType.FLOAT, 100);
        INDArray big = pool.allocate(false, DataType.FLOAT, 100_000);
        pool.beginRun();
        assertNotSame(small.data(), pool.allocate(false, DataType.FLOAT, 100).data());
        assertSame(big.data(), pool.allocate(false, DataType.FLOAT, 100_000).data());
    }

    @Test
    void releasedArraysAreFreeWithinTheRun() {
        ArrayPool pool = new ArrayPool(BIG, 0, true);
        pool.beginRun();
        INDArray a = pool.allocate(false, DataType.FLOAT, 500);
        pool.release(a);
        assertSame(a.data(), pool.allocate(false, DataType.FLOAT, 500).data());
    }

    @Test
    void idleAndSurplusBuffersAreClosed() {
        ArrayPool pool = new ArrayPool(BIG, 0, true);
        pool.beginRun();
        INDArray idle = pool.allocate(false, DataType.FLOAT, 2000);
        for (int i = 0; i < ArrayPool.IDLE_RUNS; i++) {
            pool.beginRun();
        }
        assertFalse(idle.data().wasClosed());
        pool.beginRun();
        assertTrue(idle.data().wasClosed());
        assertEquals(0, pool.freeBytes());

        ArrayPool capped = new ArrayPool(4000 * 4, 0, true);
        capped.beginRun();
        INDArray older = capped.allocate(false, DataType.FLOAT, 3000);
        capped.beginRun();
        INDArray newer = capped.allocate(false, DataType.FLOAT, 2000);
        INDArray other = capped.allocate(false, DataType.FLOAT, 10);
        capped.beginRun();
        assertTrue(older.data().wasClosed(), "the least recently used buffer goes first");
        assertFalse(newer.data().wasClosed());
        assertTrue(capped.freeBytes() <= 4000 * 4);
        assertFalse(other.data().wasClosed());
    }

    @Test
    void foreignArraysGivenBackAreClosedAndClosedBuffersAreNotReused() {
        ArrayPool pool = new ArrayPool(BIG, 0, true);
        INDArray foreign = Nd4j.create(DataType.FLOAT, 300);
        pool.giveBack(List.of(foreign));
        assertTrue(foreign.wasClosed());

        pool.beginRun();
        INDArray a = pool.allocate(false, DataType.FLOAT, 300);
        a.close();
        pool.beginRun();
        INDArray b = pool.allocate(false, DataType.FLOAT, 300);
        assertNotSame(a.data(), b.data());
        assertEquals(0.0, b.sumNumber().doubleValue());
    }
}

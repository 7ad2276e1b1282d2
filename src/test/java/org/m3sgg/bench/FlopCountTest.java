package org.m3sgg.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.models.sttran.SttranConfig;
import org.m3sgg.models.sttran.SttranModel;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** The analytic FLOP count against the products the graph really executes. */
class FlopCountTest {

    /** Sums 2 * outputs * contracted length over every matmul (and conv2d, should one run). */
    static final class Counter extends BaseListener {
        double flops;

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx,
                INDArray[] outputs) {
            String name = op.getOp().opName();
            if (name.equals("matmul")) {
                INDArray a = ctx.getInputArray(0);     // never transposed in the kit's layers
                flops += 2.0 * outputs[0].length() * a.size(a.rank() - 1);
            } else if (name.equals("conv2d")) {
                INDArray w = ctx.getInputArray(1);     // [kH, kW, in, out]
                flops += 2.0 * outputs[0].length() * w.size(0) * w.size(1) * w.size(2);
            }
        }
    }

    @Test
    void windowRowsFollowTheSlidingWindows() {
        BenchShape s = BenchShape.uniform(200, 20);
        assertEquals(380, s.windowRows());
        assertEquals(220, s.boxes());
        BenchShape uneven = BenchShape.uniform(7, 3);
        assertArrayEquals(new int[] {3, 2, 2}, uneven.perFrame());
        assertEquals(3 + 2 + 2 + 2, uneven.windowRows());
        assertEquals(1, BenchShape.uniform(5, 1).windowRows());
        assertThrows(KitException.class, () -> BenchShape.uniform(3, 4));
    }

    @Test
    void analyticCountEqualsTheExecutedProducts() {
        for (Mode mode : new Mode[] {Mode.PREDCLS, Mode.SGCLS}) {
            SttranConfig cfg = SttranConfig.quick();
            BenchShape shape = BenchShape.uniform(13, 4);
            SttranModel model = SttranModel.build(cfg, mode, 1);
            BenchVideo.Video v = BenchVideo.of(cfg, shape, 5);
            Counter counter = new Counter();
            model.graph().setListeners(counter);
            model.forward(v.inputs());
            FlopCount f = FlopCount.of(cfg, shape, mode == Mode.SGCLS);
            assertEquals(f.forward() + f.selection(), counter.flops, 1e-9 * counter.flops, mode.name());
            assertEquals(3 * f.forward(), f.trainingStep(), 0);
        }
    }

    @Test
    void paperWidthsAt200PairsAreAbout80GflopForward() {
        FlopCount f = FlopCount.of(SttranConfig.paper(), BenchShape.uniform(200, 20), false);
        // dominated by the temporal decoder: 3 layers on 380 rows of width 1936
        assertEquals(3 * FlopCount.layer(380, 1936, 2048), f.terms().get("temporal decoder"), 0);
        assertEquals(80.43, f.forward() / 1e9, 0.01);
    }
}

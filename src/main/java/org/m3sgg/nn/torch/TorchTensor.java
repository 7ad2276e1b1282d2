package org.m3sgg.nn.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One tensor of a PyTorch checkpoint: a strided view into a raw little-endian storage, exactly as
 * {@code torch._utils._rebuild_tensor_v2} describes it (storage, element offset, size, stride).
 *
 * @param dtype   element type of the storage
 * @param shape   the tensor's size, {@code []} for a scalar
 * @param stride  elements to step per dimension
 * @param offset  first element inside the storage
 * @param storage the storage's raw bytes (shared between views of one storage)
 */
public record TorchTensor(TorchDType dtype, long[] shape, long[] stride, long offset, ByteBuffer storage) {

    public TorchTensor {
        if (shape.length != stride.length) {
            throw new IllegalArgumentException("size " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(stride) + " differ in rank");
        }
        storage = storage.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A contiguous (C order) float32 tensor of {@code values} with {@code shape}. */
    public static TorchTensor float32(float[] values, long... shape) {
        long[] stride = new long[shape.length];
        long n = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = n;
            n *= shape[d];
        }
        if (n != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        }
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new TorchTensor(TorchDType.FLOAT32, shape.clone(), stride, 0, b);
    }

    public long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** Elements the storage holds. */
    public long storageElements() {
        return storage.capacity() / dtype.bytes;
    }

    /** The highest storage element the view touches, or -1 for an empty tensor. */
    long lastElement() {
        if (numel() == 0) {
            return -1;
        }
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
            last += (shape[d] - 1) * stride[d];
        }
        return last;
    }

    /** Values in C order as doubles (float32 and int64 up to 2^53 are exact). */
    public double[] toDoubles() {
        int n = Math.toIntExact(numel());
        double[] out = new double[n];
        long[] idx = new long[shape.length];
        for (int i = 0; i < n; i++) {
            long e = offset;
            for (int d = 0; d < shape.length; d++) {
                e += idx[d] * stride[d];
            }
            out[i] = read(e);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    private double read(long element) {
        int pos = Math.toIntExact(element * dtype.bytes);
        return switch (dtype) {
            case FLOAT32 -> storage.getFloat(pos);
            case FLOAT64 -> storage.getDouble(pos);
            case INT64 -> storage.getLong(pos);
        };
    }

    /** A C-order copy with the given element type. */
    public INDArray toINDArray(DataType type) {
        double[] v = toDoubles();
        INDArray flat = Nd4j.createFromArray(v);
        if (shape.length == 0) {
            return Nd4j.scalar(type, v[0]);
        }
        return flat.reshape('c', shape).castTo(type);
    }
}

package org.m3sgg.features;

import java.util.Arrays;

/**
 * A dense n-dimensional array in C (row-major) order, as read from or written to a {@code .npy} file. The data
 * is a primitive Java array whose type follows {@link #dtype()}: {@code float[]} for f4, {@code double[]} for f8,
 * {@code long[]} for i8, {@code int[]} for i4, {@code boolean[]} for b1, {@code short[]} (the IEEE half-precision bits,
 * see {@link Half}) for f2.
 */
public final class NdArray {

    /** The element types the kit reads and writes (always little-endian on disk). */
    public enum DType {
        F4("<f4", 4), F8("<f8", 8), I8("<i8", 8), I4("<i4", 4), B1("|b1", 1), F2("<f2", 2);

        /** numpy's {@code descr} string. */
        public final String descr;
        public final int itemSize;

        DType(String descr, int itemSize) {
            this.descr = descr;
            this.itemSize = itemSize;
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final Object data;

    private NdArray(DType dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = count(shape);
        int len = java.lang.reflect.Array.getLength(data);
        if (len != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " elements, got "
                    + len);
        }
        this.data = data;
    }

    public static NdArray of(float[] data, int... shape) {
        return new NdArray(DType.F4, shape, data);
    }

    public static NdArray of(double[] data, int... shape) {
        return new NdArray(DType.F8, shape, data);
    }

    public static NdArray of(long[] data, int... shape) {
        return new NdArray(DType.I8, shape, data);
    }

    public static NdArray of(int[] data, int... shape) {
        return new NdArray(DType.I4, shape, data);
    }

    public static NdArray of(boolean[] data, int... shape) {
        return new NdArray(DType.B1, shape, data);
    }

    /** A float16 array of the given values, each rounded to the nearest half (ties to even). */
    public static NdArray half(float[] values, int... shape) {
        return new NdArray(DType.F2, shape, Half.fromFloats(values));
    }

    /** A float16 array of raw half-precision bits. */
    public static NdArray halfBits(short[] bits, int... shape) {
        return new NdArray(DType.F2, shape, bits);
    }

    /** Wraps an already-typed primitive array (package use: the reader). */
    static NdArray wrap(DType dtype, int[] shape, Object data) {
        return new NdArray(dtype, shape, data);
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int size() {
        return (int) count(shape);
    }

    /** The backing primitive array (not copied; do not modify what you did not create). */
    public Object data() {
        return data;
    }

    /** The elements as float32 (f4 as is, f8 narrowed, f2 widened); integers and booleans are refused. */
    public float[] floats() {
        if (data instanceof float[] f) {
            return f;
        }
        if (data instanceof short[] h) {
            return Half.toFloats(h);
        }
        if (data instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        throw new IllegalStateException("expected a float array, got " + dtype.descr);
    }

    /** The elements as int64 (i8 as is, i4 widened); floats and booleans are refused. */
    public long[] longs() {
        if (data instanceof long[] l) {
            return l;
        }
        if (data instanceof int[] in) {
            long[] l = new long[in.length];
            for (int i = 0; i < in.length; i++) {
                l[i] = in[i];
            }
            return l;
        }
        throw new IllegalStateException("expected an integer array, got " + dtype.descr);
    }

    /** The elements as doubles, whatever the type (booleans as 0/1). */
    public double[] doubles() {
        int n = size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case F4 -> ((float[]) data)[i];
                case F8 -> ((double[]) data)[i];
                case I8 -> ((long[]) data)[i];
                case I4 -> ((int[]) data)[i];
                case B1 -> ((boolean[]) data)[i] ? 1 : 0;
                case F2 -> Half.toFloat(((short[]) data)[i]);
            };
        }
        return out;
    }

    static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NdArray a) || a.dtype != dtype || !Arrays.equals(a.shape, shape)) {
            return false;
        }
        return switch (dtype) {
            case F4 -> Arrays.equals((float[]) data, (float[]) a.data);
            case F8 -> Arrays.equals((double[]) data, (double[]) a.data);
            case I8 -> Arrays.equals((long[]) data, (long[]) a.data);
            case I4 -> Arrays.equals((int[]) data, (int[]) a.data);
            case B1 -> Arrays.equals((boolean[]) data, (boolean[]) a.data);
            case F2 -> Arrays.equals((short[]) data, (short[]) a.data);
        };
    }

    @Override
    public int hashCode() {
        return 31 * dtype.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NdArray(" + dtype.descr + ", shape=" + Arrays.toString(shape) + ")";
    }
}

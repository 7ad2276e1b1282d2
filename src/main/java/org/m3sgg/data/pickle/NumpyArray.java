package org.m3sgg.data.pickle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A numpy array as it comes out of (or goes into) a pickle: dtype, shape, memory order and the raw bytes.
 * Decoding to Java numbers is lazy, so loading a pickle does not pay for arrays nobody reads.
 *
 * @param dtype numpy type string with byte order, e.g. {@code <f4}, {@code <f8}, {@code <i8}, {@code |b1}
 * @param shape dimensions; {@code []} is a 0-d array
 * @param fortranOrder true when the bytes are in column-major order
 * @param data raw element bytes, {@code product(shape) * itemsize} long
 */
public record NumpyArray(String dtype, int[] shape, boolean fortranOrder, byte[] data) {

    public NumpyArray {
        shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        int itemSize = itemSize(dtype);
        if (data.length != n * itemSize) {
            throw new IllegalArgumentException("numpy array of dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " needs " + n * itemSize + " bytes, got " + data.length);
        }
    }

    /** A C-order float32 array. */
    public static NumpyArray ofFloats(float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return new NumpyArray("<f4", shape, false, b.array());
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public int dim(int i) {
        return shape[i];
    }

    public int rank() {
        return shape.length;
    }

    /** Elements as doubles, in C (row-major) order whatever the storage order. */
    public double[] toDoubles() {
        int n = size();
        double[] out = new double[n];
        ByteBuffer b = buffer();
        char kind = kind(dtype);
        int size = itemSize(dtype);
        for (int i = 0; i < n; i++) {
            int at = sourceIndex(i) * size;
            out[i] = switch (kind) {
                case 'f' -> size == 4 ? b.getFloat(at) : b.getDouble(at);
                case 'i' -> size == 8 ? b.getLong(at) : size == 4 ? b.getInt(at) : size == 2 ? b.getShort(at) : b.get(at);
                case 'u' -> size == 8 ? b.getLong(at) : size == 4 ? Integer.toUnsignedLong(b.getInt(at))
                        : size == 2 ? Short.toUnsignedInt(b.getShort(at)) : Byte.toUnsignedInt(b.get(at));
                case 'b' -> b.get(at) != 0 ? 1 : 0;
                default -> throw new IllegalStateException("numpy dtype " + dtype + " is not numeric");
            };
        }
        return out;
    }

    /** Element i (C order) of this array, as a double. */
    public double get(int i) {
        return toDoubles()[i];
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    /** Maps a C-order flat index to the storage index (differs only for Fortran order). */
    private int sourceIndex(int cIndex) {
        if (!fortranOrder || shape.length < 2) {
            return cIndex;
        }
        int rem = cIndex;
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rem % shape[d];
            rem /= shape[d];
        }
        int f = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            f = f * shape[d] + idx[d];
        }
        return f;
    }

    static char kind(String dtype) {
        return dtype.charAt(1);
    }

    static int itemSize(String dtype) {
        if (dtype.length() < 3) {
            throw new IllegalArgumentException("unsupported numpy dtype '" + dtype + "'");
        }
        char kind = dtype.charAt(1);
        int size;
        try {
            size = Integer.parseInt(dtype.substring(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unsupported numpy dtype '" + dtype + "'");
        }
        boolean ok = switch (kind) {
            case 'f' -> size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("unsupported numpy dtype '" + dtype
                    + "': expected float32/64, an integer or bool array");
        }
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumpyArray a && a.dtype.equals(dtype) && Arrays.equals(a.shape, shape)
                && a.fortranOrder == fortranOrder && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ndarray(" + dtype + ", shape=" + Arrays.toString(shape) + ")";
    }
}

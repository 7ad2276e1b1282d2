package org.m3sgg.features;

/**
 * IEEE 754 half precision (binary16, numpy's {@code float16}) to and from float32, for {@code .npy} arrays of type
 * {@code <f2}. Java 17 has no conversion ({@code Float.float16ToFloat} came with Java 20). Narrowing rounds to
 * nearest, ties to even, as numpy does: values beyond 65504 that do not round down become infinity, tiny values
 * become subnormals or signed zero, NaN stays NaN (its top payload bits kept, made quiet).
 */
public final class Half {

    private Half() {}

    /** The float32 value of the half-precision bits {@code h} (exact: every half is a float). */
    public static float toFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) { // zero or subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 31) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | mant << 13);
        }
        return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
    }

    /** The half-precision bits nearest to {@code f} (ties to even). */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) { // infinity or NaN
            return (short) (sign | 0x7c00 | (mant == 0 ? 0 : 0x200 | mant >>> 13));
        }
        if (exp > 142) { // 2^16 and above: beyond the largest half
            return (short) (sign | 0x7c00);
        }
        if (exp >= 113) { // a normal half; a carry out of the mantissa moves into the exponent (65520.. -> inf)
            int h = (exp - 112) << 10 | mant >>> 13;
            return (short) (sign | roundEven(h, mant, 13));
        }
        // below 2^-14: a subnormal half, k * 2^-24 with k = round(value * 2^24); float subnormals are far below
        int shift = 126 - exp; // value * 2^24 = (mant | 2^23) / 2^shift
        if (shift > 24) {
            return (short) sign;
        }
        int full = mant | 0x800000;
        return (short) (sign | roundEven(full >>> shift, full, shift));
    }

    /** {@code q} (the bits kept) rounded by the {@code shift} low bits of {@code full}: to nearest, ties to even. */
    private static int roundEven(int q, int full, int shift) {
        int rest = full & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rest > half || rest == half && (q & 1) == 1 ? q + 1 : q;
    }

    /** Every value narrowed to half precision. */
    public static short[] fromFloats(float[] values) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = fromFloat(values[i]);
        }
        return out;
    }

    /** Every half widened to float32. */
    public static float[] toFloats(short[] halves) {
        float[] out = new float[halves.length];
        for (int i = 0; i < halves.length; i++) {
            out[i] = toFloat(halves[i]);
        }
        return out;
    }
}

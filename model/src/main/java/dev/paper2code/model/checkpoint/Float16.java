package dev.paper2code.model.checkpoint;

/**
 * Half-precision to float32, in Java: the PyTorch engine crashes on BF16 arrays, so checkpoints are
 * widened before they reach it.
 */
final class Float16 {
    private Float16() {
    }

    static float fromBFloat16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** IEEE 754 binary16, subnormals, infinities and NaN included (Float.float16ToFloat needs Java 20). */
    static float fromHalf(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1.0p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}

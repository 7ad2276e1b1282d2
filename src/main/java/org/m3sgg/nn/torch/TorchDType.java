package org.m3sgg.nn.torch;

/** The storage element types the checkpoint reader understands, with their pickled class names. */
public enum TorchDType {
    FLOAT32("FloatStorage", 4),
    FLOAT64("DoubleStorage", 8),
    INT64("LongStorage", 8);

    /** The class name under module {@code torch} that a pickle uses to name the storage type. */
    public final String storageClass;
    public final int bytes;

    TorchDType(String storageClass, int bytes) {
        this.storageClass = storageClass;
        this.bytes = bytes;
    }
}

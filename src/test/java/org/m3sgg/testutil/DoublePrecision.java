package org.m3sgg.testutil;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code @ExtendWith(DoublePrecision.class)}: ND4J's default types are DOUBLE during each test (finite-difference
 * gradient checks need them) and restored afterwards.
 */
public final class DoublePrecision implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(DoublePrecision.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("types", new DataType[] {Nd4j.dataType(), Nd4j.defaultFloatingPointType()});
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        DataType[] old = context.getStore(NS).remove("types", DataType[].class);
        Nd4j.setDefaultDataTypes(old[0], old[1]);
    }
}

/**
 * What the relation models share (STTran, STKET, TEMPURA, DSG-DETR and {@code PairModel} prototypes), so that a
 * model package holds only its own graph, its config record and its host-side extras. STTran depends on this
 * package like the others do.
 *
 * <ul>
 *   <li>{@link org.m3sgg.models.relation.RelationWidths}: the shared widths and class counts (Action Genome's
 *       from {@link org.m3sgg.data.Vocabulary}), validated in one place; each config record keeps the YAML keys
 *       flat and returns this view from {@code widths()}.</li>
 *   <li>{@link org.m3sgg.models.relation.RelationFeed}: the one feed of {@code RelationInputs} /
 *       {@code RelationTargets} into placeholders (input checks, one-hot selections and classes, union features,
 *       masks, targets).</li>
 *   <li>{@link org.m3sgg.models.relation.RelationBatch}: STTran's windowed pair layout (frame mask, stacked
 *       two-frame windows) on top of the feed.</li>
 *   <li>{@link org.m3sgg.models.relation.RelationFeatures}: the pair representation;
 *       {@link org.m3sgg.models.relation.GlocalTransformer}: the spatial encoder and temporal decoder;
 *       {@link org.m3sgg.models.relation.RelationHeads} with {@link org.m3sgg.models.relation.RelationLoss}: the
 *       three heads and their losses; {@link org.m3sgg.models.relation.ObjectClassifier}: the SGCLS classifier;
 *       {@link org.m3sgg.models.relation.SgclsRelabeler}: SGCLS test-time relabelling.</li>
 * </ul>
 *
 * <p>Blocks create their parameters in their constructors, from the scope's seeded generator, and add operations
 * in their {@code apply} methods: where a model constructs a block is part of what its seed means.
 */
package org.m3sgg.models.relation;

/**
 * Reporting for notebooks and the CLI, with plain inputs so any evaluator or trainer can feed it.
 *
 * <ul>
 *   <li>{@link org.m3sgg.report.ResultTables}: Tablesaw tables of recall (runs x R@K / mR@K per constraint),
 *       per-predicate recall with {@link org.m3sgg.report.PredicateBands head/body/tail bands}, speed and size;
 *       {@link org.m3sgg.report.Tables} turns them into HTML or CSV (written atomically).</li>
 *   <li>{@link org.m3sgg.report.Charts}: {@link org.m3sgg.report.Figure figures} (recall bars, training curves,
 *       benchmark with XChart; the per-predicate band chart with Java2D) with one wrapped
 *       {@link org.m3sgg.report.Legend}, shown as 2x PNG and exported as PNG, SVG or PDF.</li>
 *   <li>{@link org.m3sgg.report.FrameViewer}, {@link org.m3sgg.report.Timeline} and
 *       {@link org.m3sgg.report.Animation}: a frame's boxes and scene graph with recalled and missed triplets
 *       marked, a video's relations over time grouped by relation type, and an animated GIF of a video.</li>
 *   <li>{@link org.m3sgg.report.Notebook} and {@link org.m3sgg.report.Display}: the notebook bootstrap, training
 *       from a cell, and {@link org.m3sgg.report.Rich} values (every one with text/plain) for the kit's results;
 *       {@link org.m3sgg.report.LiveTraining} and {@link org.m3sgg.report.LiveProgress} update an output in place
 *       through {@link org.m3sgg.report.DisplaySink}. {@code KernelDisplay} is the only class that talks to a
 *       kernel.</li>
 * </ul>
 *
 * <p>See docs/NOTEBOOKS.md.
 *
 * <p>Recall values are fractions in [0, 1] everywhere; HTML tables and charts show percentages.
 */
package org.m3sgg.report;

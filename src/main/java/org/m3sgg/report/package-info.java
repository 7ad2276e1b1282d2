/**
 * Reporting for notebooks and the CLI, with plain inputs so any evaluator or trainer can feed it.
 *
 * <ul>
 *   <li>{@link org.m3sgg.report.ResultTables}: Tablesaw tables of recall (runs x R@K / mR@K per constraint),
 *       per-predicate recall with {@link org.m3sgg.report.PredicateBands head/body/tail bands}, speed and size;
 *       {@link org.m3sgg.report.Tables} turns them into HTML or CSV (written atomically).</li>
 *   <li>{@link org.m3sgg.report.Charts}: XChart figures rendered to {@code BufferedImage} (recall bars, training
 *       curves, benchmark), plus the per-predicate band chart drawn with Java2D.</li>
 *   <li>{@link org.m3sgg.report.FrameViewer} and {@link org.m3sgg.report.Timeline}: a frame's boxes and scene
 *       graph, ground truth next to a {@link org.m3sgg.report.PredictedGraph}, and a video's relations over
 *       time.</li>
 *   <li>{@link org.m3sgg.report.Notebook} and {@link org.m3sgg.report.Display}: the notebook bootstrap and what a
 *       cell returns to show HTML or an image under the kit's kernel, IJava, JJava and rapaio.</li>
 * </ul>
 *
 * <p>Recall values are fractions in [0, 1] everywhere; HTML tables and charts show percentages.
 */
package org.m3sgg.report;

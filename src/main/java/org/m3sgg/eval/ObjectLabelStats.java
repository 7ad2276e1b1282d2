package org.m3sgg.eval;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.data.AgObject;

/**
 * How well a model labels the objects (SGCLS, SGDET), next to the relation recalls: top-1 accuracy over the ground-truth
 * objects, and label consistency, the share of consecutive appearances of the same object that kept their predicted
 * label (DSG-DETR's claim). An object of a video is identified by its ground-truth class (Action Genome annotates at
 * most one instance of a class per frame); its appearances are taken in file order, which is frame order. A
 * ground-truth object is matched to the predicted box of highest IoU, at least 0.5 (in PredCLS and SGCLS the boxes
 * are the ground-truth boxes); an unmatched object counts as wrong and is left out of the consistency count.
 *
 * @param objects ground-truth objects (the person excluded)
 * @param correct of those, the ones whose matched box has the ground-truth label
 * @param transitions consecutive appearances of the same object, both matched
 * @param consistent of those, the ones with equal predicted labels
 */
public record ObjectLabelStats(long objects, long correct, long transitions, long consistent) {

    public double accuracy() {
        return objects == 0 ? Double.NaN : (double) correct / objects;
    }

    public double consistency() {
        return transitions == 0 ? Double.NaN : (double) consistent / transitions;
    }

    /** Computes the statistics over a predictions file's frames, in file order. */
    public static ObjectLabelStats of(Path predictionsFile) {
        Accumulator acc = new Accumulator();
        PredictionsFile.forEach(predictionsFile, e -> acc.add(e.gt(), e.prediction()));
        return acc.result();
    }

    /** Adds frames one at a time; frames of one video must come in frame order. */
    public static final class Accumulator {
        private final Map<Integer, Integer> lastLabel = new HashMap<>();
        private String video;
        private long objects;
        private long correct;
        private long transitions;
        private long consistent;

        public void add(GroundTruthFrame gt, FramePrediction pred) {
            if (!gt.video().equals(video)) {
                video = gt.video();
                lastLabel.clear();
            }
            for (AgObject o : gt.objects()) {
                int best = -1;
                double bestIou = 0.5;
                for (int i = 0; i < pred.boxes().length; i++) {
                    double iou = LegacyIou.iou(o.box().toArray(), pred.boxes()[i]);
                    if (iou >= bestIou) {
                        bestIou = iou;
                        best = i;
                    }
                }
                objects++;
                Integer previous = lastLabel.remove(o.label());
                if (best < 0) {
                    continue;
                }
                int label = pred.labels()[best];
                if (label == o.label()) {
                    correct++;
                }
                if (previous != null) {
                    transitions++;
                    if (previous == label) {
                        consistent++;
                    }
                }
                lastLabel.put(o.label(), label);
            }
        }

        public ObjectLabelStats result() {
            return new ObjectLabelStats(objects, correct, transitions, consistent);
        }
    }

    /** Writes {@code {"objects": .., "accuracy": .., "transitions": .., "label_consistency": ..}} atomically. */
    public void writeJson(Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeNumberField("objects", objects);
                g.writeNumberField("correct", correct);
                g.writeNumberField("accuracy", accuracy());
                g.writeNumberField("transitions", transitions);
                g.writeNumberField("consistent", consistent);
                g.writeNumberField("label_consistency", consistency());
                g.writeEndObject();
            }
        });
    }
}

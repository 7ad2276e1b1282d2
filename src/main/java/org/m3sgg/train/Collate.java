package org.m3sgg.train;

import java.util.ArrayList;
import java.util.List;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;
import org.m3sgg.data.Mode;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.eval.GroundTruthFrame;
import org.m3sgg.features.FeatureMeta;
import org.m3sgg.features.SpatialMasks;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.relation.SgclsRelabeler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns one annotated video and its features into what a relation model takes, for a mode. This is where the
 * mode is decided, not in the models:
 * <ul>
 *   <li>PredCLS: ground-truth boxes (per frame the person, then the visible objects in annotation order), their
 *       ground-truth labels, the person paired with every object of its frame;</li>
 *   <li>SGCLS: the same boxes and pairs plus the detector's class distribution [N, 36]; the labels are the ground
 *       truth while training (as in STTran), and at test time {@link #relabel} replaces them with the
 *       classifier's relabelled prediction and rebuilds the pairs around the box it calls the person.</li>
 * </ul>
 * Union features are looked up by (frame number, ground-truth label of each box): they describe the union of two
 * boxes, whatever a model later calls those boxes.
 */
public final class Collate {

    /**
     * One video ready for a model.
     *
     * @param video     the annotations
     * @param mode      PredCLS or SGCLS
     * @param inputs    model inputs (ground-truth labels in both modes)
     * @param targets   loss targets (SGCLS: with the object labels)
     * @param frameBox  [T + 1] box index where each frame starts (frame t holds boxes frameBox[t] .. frameBox[t+1])
     * @param gtLabels  [N] ground-truth labels of the boxes (SGDET: the labels the training pass assigned, 0 =
     *                  background; null at test time)
     * @param scores    [N] the boxes' object scores where the boxes come from detections (SGDET test: the
     *                  pipeline's scores, the person's is its person probability); null otherwise
     */
    public record Video(AgVideo video, Mode mode, RelationInputs inputs, RelationTargets targets, int[] frameBox,
            int[] gtLabels, double[] scores) {

        public int frames() {
            return frameBox.length - 1;
        }

        /** The evaluator's ground truth, one per frame. */
        public List<GroundTruthFrame> groundTruth() {
            List<GroundTruthFrame> out = new ArrayList<>();
            for (AgFrame f : video.frames()) {
                out.add(GroundTruthFrame.of(f));
            }
            return out;
        }
    }

    /**
     * SGCLS test inputs after relabelling.
     *
     * @param inputs        the inputs with predicted labels and the rebuilt pairs
     * @param labels        [N] predicted labels (1 = person)
     * @param scores        [N] their probabilities
     * @param zeroUnions    pairs given a zero union feature because the feature folder only has person-object
     *                      unions and neither box of the pair is the ground-truth person
     */
    public record Relabelled(RelationInputs inputs, int[] labels, double[] scores, int zeroUnions) {}

    private Collate() {}

    /** Collates one video; a box or person-object union missing from the features is a {@link KitException}. */
    public static Video of(AgVideo video, VideoFeatures features, Mode mode) {
        if (mode == Mode.SGDET) {
            throw new KitException("training and evaluation support PredCLS and SGCLS; SGDET needs detections, "
                    + "which the feature format does not carry yet");
        }
        List<AgFrame> frames = video.frames();
        int n = 0;
        int p = 0;
        for (AgFrame f : frames) {
            n += 1 + f.objects().size();
            p += f.objects().size();
        }
        double[][] boxes = new double[n][];
        int[] boxFrame = new int[n];
        int[] labels = new int[n];
        int[] frameNumbers = new int[n];
        int[] frameBox = new int[frames.size() + 1];
        int[][] pairs = new int[p][];
        int[] pairFrame = new int[p];
        int[] attention = new int[p];
        int[][] spatial = new int[p][];
        int[][] contacting = new int[p][];
        int[] unionFrame = new int[p];
        int[] unionA = new int[p];
        int[] unionB = new int[p];
        float[] masks = new float[p * 2 * SpatialMasks.SIZE * SpatialMasks.SIZE];
        int b = 0;
        int q = 0;
        for (int t = 0; t < frames.size(); t++) {
            AgFrame f = frames.get(t);
            int number = f.frameNumber();
            if (number < 0) {
                throw new KitException("video " + video.id() + ": frame " + f.key() + " has no frame number, "
                        + "which the feature lookup needs");
            }
            frameBox[t] = b;
            int person = b;
            boxes[b] = f.personBox().toArray();
            boxFrame[b] = t;
            labels[b] = Vocabulary.PERSON;
            frameNumbers[b++] = number;
            for (AgObject o : f.objects()) {
                if (o.attention().length != 1) {
                    throw new KitException("video " + video.id() + ", frame " + f.key() + ": object "
                            + Vocabulary.OBJECT_CLASSES.get(o.label()) + " has " + o.attention().length
                            + " attention labels, the attention loss needs exactly one");
                }
                boxes[b] = o.box().toArray();
                boxFrame[b] = t;
                labels[b] = o.label();
                frameNumbers[b] = number;
                pairs[q] = new int[] {person, b};
                pairFrame[q] = t;
                attention[q] = o.attention()[0];
                spatial[q] = o.spatial();
                contacting[q] = o.contacting();
                unionFrame[q] = number;
                unionA[q] = Vocabulary.PERSON;
                unionB[q] = o.label();
                float[] m = SpatialMasks.of(f.personBox(), o.box());
                System.arraycopy(m, 0, masks, q * m.length, m.length);
                q++;
                b++;
            }
        }
        frameBox[frames.size()] = b;
        INDArray feats = Nd4j.create(features.features(frameNumbers, labels), n, features.featureDim());
        INDArray union = unionArray(features.unions(unionFrame, unionA, unionB), p, features);
        INDArray maskArr = Nd4j.create(masks, p, 2, SpatialMasks.SIZE, SpatialMasks.SIZE);
        INDArray dist = null;
        if (mode == Mode.SGCLS) {
            float[] d = new float[n * VideoFeatures.DISTRIBUTION_CLASSES];
            for (int i = 0; i < n; i++) {
                System.arraycopy(features.distribution(frameNumbers[i], labels[i]), 0, d,
                        i * VideoFeatures.DISTRIBUTION_CLASSES, VideoFeatures.DISTRIBUTION_CLASSES);
            }
            dist = Nd4j.create(d, n, VideoFeatures.DISTRIBUTION_CLASSES);
        }
        RelationInputs in = new RelationInputs(feats, boxes, boxFrame, labels, pairs, pairFrame, union, maskArr, dist);
        RelationTargets tg = new RelationTargets(attention, spatial, contacting,
                mode == Mode.SGCLS ? labels.clone() : null);
        return new Video(video, mode, in, tg, frameBox, labels.clone(), null);
    }

    /**
     * SGCLS test time: relabels the boxes from the classifier's logits ({@link SgclsRelabeler}, STTran's rules) and
     * rebuilds the pairs with their union features and masks.
     *
     * <p>When the relabeller calls a box that is not the ground-truth person "the person", its pairs need unions
     * of two non-person boxes. A feature folder with {@code union_pairs: all} has them; one with
     * {@code person-object} (the bundled world) does not, and such a pair gets a zero union feature (the union
     * branch then adds only its bias). Those pairs cannot match a ground-truth triplet anyway, since their subject
     * box is not the annotated person; {@link Relabelled#zeroUnions} counts them. Any other missing union is an
     * error naming the video, frame and labels.
     */
    public static Relabelled relabel(Video v, VideoFeatures features, FeatureMeta meta, INDArray objectLogits) {
        RelationInputs in = v.inputs();
        SgclsRelabeler.Result r = SgclsRelabeler.relabel(objectLogits, in.boxFrame());
        int p = r.pairs().length;
        int len = features.unionLength();
        float[] union = new float[p * len];
        float[] masks = new float[p * 2 * SpatialMasks.SIZE * SpatialMasks.SIZE];
        int zero = 0;
        for (int i = 0; i < p; i++) {
            int s = r.pairs()[i][0];
            int o = r.pairs()[i][1];
            int number = v.video().frames().get(r.pairFrame()[i]).frameNumber();
            int la = v.gtLabels()[s];
            int lb = v.gtLabels()[o];
            boolean personObject = la == Vocabulary.PERSON || lb == Vocabulary.PERSON;
            if (!personObject && FeatureMeta.PERSON_OBJECT.equals(meta.unionPairs()) && !features.hasUnion(number, la, lb)) {
                zero++;
            } else {
                features.copyUnion(number, la, lb, union, i * len);
            }
            float[] m = SpatialMasks.of(box(in.boxes()[s]), box(in.boxes()[o]));
            System.arraycopy(m, 0, masks, i * m.length, m.length);
        }
        RelationInputs relabelled = in.withPairs(r.labels(), r.pairs(), r.pairFrame(), unionArray(union, p, features),
                Nd4j.create(masks, p, 2, SpatialMasks.SIZE, SpatialMasks.SIZE));
        return new Relabelled(relabelled, r.labels(), r.scores(), zero);
    }

    private static INDArray unionArray(float[] flat, int p, VideoFeatures features) {
        int side = 7;
        int channels = features.unionLength() / (side * side);
        if (channels * side * side != features.unionLength()) {
            throw new KitException(features.file() + ": union features of " + features.unionLength()
                    + " values are not C x 7 x 7, which STTran's union branch expects");
        }
        return Nd4j.create(flat, p, channels, side, side);
    }

    private static Box box(double[] b) {
        return new Box(b[0], b[1], b[2], b[3]);
    }
}

package org.m3sgg.models.relation;

import org.m3sgg.nn.BatchNorm;
import org.m3sgg.nn.Conv2d;
import org.m3sgg.nn.Embedding;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.MaxPool2d;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * STTran's relation representation of a (subject, object) pair, which STKET, TEMPURA and DSG-DETR reuse under the
 * same state_dict keys: the subject's and the object's box features projected ({@code subj_fc}, {@code obj_fc}),
 * the union-box feature map plus a convolutional embedding of the two spatial masks projected ({@code union_func1},
 * {@code conv.*}, {@code vr_fc}), and the two class embeddings ({@code obj_embed}, {@code obj_embed2}),
 * concatenated to [P, 3 pairFc + 2 embedding].
 *
 * <p>The constructor creates the parameters (drawing from the scope's seeded generator, so where a model builds
 * this block in its parameter order is part of what its seed means); {@link #apply} adds the operations.
 */
public final class RelationFeatures {

    public static final String SUBJECT_SELECT = "subject_select";
    public static final String OBJECT_SELECT = "object_select";
    public static final String SUBJECT_CLASS = "subject_class";
    public static final String OBJECT_CLASS = "object_class";
    public static final String UNION_FEAT = "union_feat";
    public static final String SPATIAL_MASKS = "spatial_masks";

    /**
     * The per-pair graph inputs.
     *
     * @param subjectSelect [P, N] one-hot rows picking each pair's subject box
     * @param objectSelect  [P, N] the same for the object box
     * @param subjectClass  [P, classes] one-hot subject class
     * @param objectClass   [P, classes] one-hot object class
     * @param union         [P, unionIn, 7, 7] union-box feature maps
     * @param masks         [P, 2, 27, 27] subject and object spatial masks
     */
    public record Inputs(SDVariable subjectSelect, SDVariable objectSelect, SDVariable subjectClass,
            SDVariable objectClass, SDVariable union, SDVariable masks) {

        /** The six placeholders under their standard names, in that order. */
        public static Inputs placeholders(SameDiff sd, DataType dtype, int classes, int unionIn) {
            long p = -1;
            long n = -1;
            return new Inputs(sd.placeHolder(SUBJECT_SELECT, dtype, p, n), sd.placeHolder(OBJECT_SELECT, dtype, p, n),
                    sd.placeHolder(SUBJECT_CLASS, dtype, p, classes), sd.placeHolder(OBJECT_CLASS, dtype, p, classes),
                    sd.placeHolder(UNION_FEAT, dtype, p, unionIn, 7, 7),
                    sd.placeHolder(SPATIAL_MASKS, dtype, p, 2, 27, 27));
        }
    }

    private final SameDiff sd;
    private final int unionOut;
    private final Conv2d unionConv;
    private final Conv2d mask0;
    private final BatchNorm mask2;
    private final MaxPool2d mask3;
    private final Conv2d mask4;
    private final BatchNorm mask6;
    private final Linear subjFc;
    private final Linear objFc;
    private final Linear vrFc;
    private final Embedding subjEmbed;
    private final Embedding objEmbed;

    /**
     * @param boxWidth  width F of the box features the pairs select from
     * @param unionIn   channels of the union-box feature maps
     * @param unionOut  channels after {@code union_func1} (even: the mask stack has half as many in between)
     * @param pairFc    width of each of the three projections
     * @param classes   object classes with background (rows of the class embeddings)
     * @param embedding width of a class embedding
     */
    public RelationFeatures(NnScope scope, int boxWidth, int unionIn, int unionOut, int pairFc, int classes,
            int embedding) {
        this.sd = scope.sd();
        this.unionOut = unionOut;
        this.unionConv = new Conv2d(scope, "union_func1", unionIn, unionOut, 1, 1, 0);
        this.mask0 = new Conv2d(scope, "conv.0", 2, unionOut / 2, 7, 2, 3);
        this.mask2 = new BatchNorm(scope, "conv.2", unionOut / 2, 0.01);
        this.mask3 = new MaxPool2d(scope, 3, 2, 1);
        this.mask4 = new Conv2d(scope, "conv.4", unionOut / 2, unionOut, 3, 1, 1);
        this.mask6 = new BatchNorm(scope, "conv.6", unionOut, 0.01);
        this.subjFc = new Linear(scope, "subj_fc", boxWidth, pairFc);
        this.objFc = new Linear(scope, "obj_fc", boxWidth, pairFc);
        this.vrFc = new Linear(scope, "vr_fc", unionOut * 49, pairFc);
        this.subjEmbed = new Embedding(scope, "obj_embed", classes, embedding);
        this.objEmbed = new Embedding(scope, "obj_embed2", classes, embedding);
    }

    /** [P, 3 pairFc + 2 embedding] from the box features {@code boxes} [N, F] and the pair inputs. */
    public SDVariable apply(SDVariable boxes, Inputs in) {
        SDVariable subj = subjFc.apply(sd.mmul(in.subjectSelect(), boxes));
        SDVariable obj = objFc.apply(sd.mmul(in.objectSelect(), boxes));
        // the mask stack and the union conv run channel-major ([C, P H W], as the convolution products leave them):
        // ReLU, batch norm and the sum need no layout change; max pooling and vr_fc see the usual layouts
        int half = unionOut / 2;
        SDVariable m = mask2.applyChannelMajor(sd.nn().relu(mask0.applyChannelMajor(in.masks(), 27, 27), 0));
        m = mask3.apply(Conv2d.toNchw(sd, m, half, 14, 14));                             // [P, U/2, 7, 7]
        m = mask6.applyChannelMajor(sd.nn().relu(mask4.applyChannelMajor(m, 7, 7), 0));    // [U, P 49]
        SDVariable vr = unionConv.applyChannelMajor(in.union(), 7, 7).add(m);             // [U, P 49]
        // [P, U 49] in PyTorch's flattening order (channel, row, column)
        vr = sd.reshape(sd.permute(sd.reshape(vr, unionOut, -1, 49), 1, 0, 2), -1, unionOut * 49L);
        vr = vrFc.apply(vr);
        return sd.concat(1, subj, obj, vr, subjEmbed.apply(in.subjectClass()), objEmbed.apply(in.objectClass()));
    }
}

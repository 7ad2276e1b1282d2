package org.m3sgg.sgdet;

import java.util.Arrays;
import org.m3sgg.api.KitException;

/**
 * The switches of the SGDET object pipeline ({@link SgdetPipeline}). {@link #reference()} is STTran's setting;
 * every other value is a documented departure from it.
 *
 * @param nmsThreshold per-class NMS IoU threshold of the test path (STTran: 0.6; a box is suppressed when its IoU
 *                     with a kept box is strictly greater, as the CUDA kernel STTran ran)
 * @param cleanClasses the classes {@code clean_class} duplicates, applied in this order (STTran: 5, 8, 17)
 * @param assignIou    IoU above which a detection matches a ground-truth box in training (STTran: 0.5; the
 *                     reference also hard-codes 0.5 in its first labelling pass, this value is used for both)
 * @param supply       training: add ground-truth boxes no detection matched (STTran's {@code use_SUPPLY}, on)
 * @param subject      training: which box is each pair's subject (see {@link Subject})
 */
public record SgdetOptions(double nmsThreshold, int[] cleanClasses, double assignIou, boolean supply,
        Subject subject) {

    /** The subject of a training pair. */
    public enum Subject {
        /**
         * STTran's quirk: the frame's k-th box, k being the person's position in the frame's list of matched then
         * supplied ground truth. That is the frame's first box when the person was matched (not necessarily the
         * matching detection), and an arbitrary box when it was supplied; the pair can even be a self-pair.
         */
        REFERENCE,
        /** The detection matched to the ground-truth person, or the supplied person box. */
        MATCHED_PERSON
    }

    public SgdetOptions {
        if (!(nmsThreshold >= 0 && nmsThreshold <= 1)) {
            throw new KitException("sgdet: NMS threshold must lie in [0, 1], got " + nmsThreshold);
        }
        if (!(assignIou >= 0 && assignIou < 1)) {
            throw new KitException("sgdet: assignment IoU must lie in [0, 1), got " + assignIou);
        }
        if (cleanClasses == null) {
            throw new KitException("sgdet: clean classes missing (give an empty list for none)");
        }
        cleanClasses = cleanClasses.clone();
        for (int c : cleanClasses) {
            if (c < 1 || c > Detections.CLASSES) {
                throw new KitException("sgdet: clean class " + c + " outside 1.." + Detections.CLASSES);
            }
        }
        if (subject == null) {
            throw new KitException("sgdet: pair subject rule missing (REFERENCE or MATCHED_PERSON)");
        }
    }

    /** STTran's setting: NMS 0.6, clean classes 5, 8, 17, assignment IoU 0.5, SUPPLY on, the subject quirk. */
    public static SgdetOptions reference() {
        return new SgdetOptions(0.6, new int[] {5, 8, 17}, 0.5, true, Subject.REFERENCE);
    }

    /** The same options with another subject rule. */
    public SgdetOptions withSubject(Subject s) {
        return new SgdetOptions(nmsThreshold, cleanClasses, assignIou, supply, s);
    }

    @Override
    public int[] cleanClasses() {
        return cleanClasses.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SgdetOptions x && x.nmsThreshold == nmsThreshold && Arrays.equals(x.cleanClasses,
                cleanClasses) && x.assignIou == assignIou && x.supply == supply && x.subject == subject;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cleanClasses) * 31 + Double.hashCode(nmsThreshold) + Double.hashCode(assignIou)
                + Boolean.hashCode(supply) + subject.hashCode();
    }

    @Override
    public String toString() {
        return "SgdetOptions[nms=" + nmsThreshold + ", clean=" + Arrays.toString(cleanClasses) + ", assignIou="
                + assignIou + ", supply=" + supply + ", subject=" + subject + "]";
    }
}

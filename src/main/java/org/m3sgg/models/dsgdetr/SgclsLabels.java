package org.m3sgg.models.dsgdetr;

/**
 * The reference's SGCLS test-time labels ({@code ObjectClassifier.forward}, eval, sgcls): distribution = softmax of
 * logits[:, 1:]; label = argmax of columns 1.. + 2, score its value; per frame the box with the largest column 0 is
 * the human (label 1, score column 0); then per frame the most frequent label ({@code torch.mode}: the smallest of
 * tied labels) keeps only its best-scoring box, every other box with that label gets that column zeroed and is
 * relabelled with the argmax over all columns + 1 (which can be 1, the person, or a label already present).
 */
final class SgclsLabels {

    final double[][] distribution;
    final int[] labels;
    final double[] scores;
    /** Per frame, the human box (global index). */
    final int[] human;

    private SgclsLabels(double[][] distribution, int[] labels, double[] scores, int[] human) {
        this.distribution = distribution;
        this.labels = labels;
        this.scores = scores;
        this.human = human;
    }

    /** {@code logits} [N, C] with background first; {@code boxFrame} [N], frames 0..max, each non-empty. */
    static SgclsLabels of(double[][] logits, int[] boxFrame) {
        int n = logits.length;
        int k = n == 0 ? 0 : logits[0].length - 1;
        double[][] d = new double[n][k];
        int[] lab = new int[n];
        double[] sc = new double[n];
        int frames = 0;
        for (int i = 0; i < n; i++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int c = 1; c <= k; c++) {
                mx = Math.max(mx, logits[i][c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                d[i][c] = Math.exp(logits[i][c + 1] - mx);
                sum += d[i][c];
            }
            for (int c = 0; c < k; c++) {
                d[i][c] /= sum;
            }
            int best = 1;
            for (int c = 2; c < k; c++) {
                if (d[i][c] > d[i][best]) {
                    best = c;
                }
            }
            lab[i] = best + 1;
            sc[i] = d[i][best];
            frames = Math.max(frames, boxFrame[i] + 1);
        }
        int[] human = new int[frames];
        for (int f = 0; f < frames; f++) {
            int h = -1;
            for (int i = 0; i < n; i++) {
                if (boxFrame[i] == f && (h < 0 || d[i][0] > d[h][0])) {
                    h = i;
                }
            }
            human[f] = h;
            if (h >= 0) {
                lab[h] = 1;
                sc[h] = d[h][0];
            }
        }
        for (int f = 0; f < frames; f++) {
            java.util.TreeMap<Integer, Integer> count = new java.util.TreeMap<>();
            for (int i = 0; i < n; i++) {
                if (boxFrame[i] == f) {
                    count.merge(lab[i], 1, Integer::sum);
                }
            }
            if (count.isEmpty()) {
                continue;
            }
            int mode = -1;
            int most = 0;
            for (var e : count.entrySet()) {   // ascending labels: the smallest of tied labels wins
                if (e.getValue() > most) {
                    most = e.getValue();
                    mode = e.getKey();
                }
            }
            int keep = -1;
            for (int i = 0; i < n; i++) {
                if (boxFrame[i] == f && lab[i] == mode && (keep < 0 || d[i][mode - 1] >= d[keep][mode - 1])) {
                    keep = i;
                }
            }
            for (int i = 0; i < n; i++) {
                if (boxFrame[i] == f && lab[i] == mode && i != keep) {
                    d[i][mode - 1] = 0;
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        if (d[i][c] > d[i][best]) {
                            best = c;
                        }
                    }
                    lab[i] = best + 1;
                    sc[i] = d[i][best];
                }
            }
        }
        return new SgclsLabels(d, lab, sc, human);
    }
}

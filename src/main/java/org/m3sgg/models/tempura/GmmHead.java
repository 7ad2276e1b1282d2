package org.m3sgg.models.tempura;

import org.m3sgg.nn.Linear;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.Softmax;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * TEMPURA's mixture-density classification head. Each of the K components has a mean {@code mu_k = Linear(D, C)},
 * a mixing logit {@code pi_k = Linear(D, 1)} and a variance {@code var_k = sigmoid(Linear(D, C))}; the mixing
 * weights are the softmax of the K logits. A prediction is {@code sum_k pi_k act(z_k)} with
 * {@code z_k = mu_k + sqrt(var_k) * eps_k}: eps_k ~ N(0, 1) in training and 0 in evaluation. The noise comes in
 * as placeholders ({@link #noiseName}) so that the host draws it from the seeded generator (repeatable and
 * resumable) and a gradient check can fix it.
 *
 * <p>Uncertainties (from the means, as the reference's {@code unc=True} path): aleatoric
 * {@code sum_k pi_k var_k}, epistemic {@code sum_k pi_k (act(mu_k) - sum_j pi_j act(mu_j))^2}, both [M, C].
 * Parameter names follow the reference ({@code <name>.heads.mu_1.weight} ...).
 */
public final class GmmHead {

    /** Softmax over classes (attention, objects) or independent sigmoids (spatial, contacting). */
    public enum Activation { SOFTMAX, SIGMOID }

    /** The graph values of one application. */
    public record Out(SDVariable probabilities, SDVariable aleatoric, SDVariable epistemic) {}

    private final NnScope scope;
    private final String name;
    private final int k;
    private final int classes;
    private final Activation activation;
    private final Linear[] mu;
    private final Linear[] pi;
    private final Linear[] var;

    public GmmHead(NnScope scope, String name, int in, int classes, int k, Activation activation) {
        this.scope = scope;
        this.name = name;
        this.k = k;
        this.classes = classes;
        this.activation = activation;
        this.mu = new Linear[k];
        this.pi = new Linear[k];
        this.var = new Linear[k];
        for (int i = 0; i < k; i++) {
            mu[i] = new Linear(scope, name + ".heads.mu_" + (i + 1), in, classes);
            pi[i] = new Linear(scope, name + ".heads.pi_" + (i + 1), in, 1);
            var[i] = new Linear(scope, name + ".heads.var_" + (i + 1), in, classes);
        }
    }

    public int components() {
        return k;
    }

    public int classes() {
        return classes;
    }

    /** Placeholder name of component {@code i}'s noise [M, C]. */
    public String noiseName(int i) {
        return name + ".noise_" + (i + 1);
    }

    /** {@code x [M, D]} to probabilities [M, C] and the two uncertainties [M, C]; noise from placeholders. */
    public Out apply(SDVariable x) {
        return apply(x, null);
    }

    /** As {@link #apply(SDVariable)} with the K noise arrays [M, C] given (gradient checks use constants). */
    public Out apply(SDVariable x, SDVariable[] noise) {
        SameDiff sd = scope.sd();
        DataType t = scope.dtype();
        SDVariable[] logits = new SDVariable[k];
        for (int i = 0; i < k; i++) {
            logits[i] = pi[i].apply(x);                                       // [M, 1]
        }
        SDVariable w = Softmax.of(sd, k == 1 ? logits[0] : sd.concat(1, logits), 1);   // [M, K]
        SDVariable probs = null;
        SDVariable meanAct = null;
        SDVariable aleatoric = null;
        SDVariable[] actMu = new SDVariable[k];
        SDVariable[] wk = new SDVariable[k];
        for (int i = 0; i < k; i++) {
            // column i of the mixing weights as [M, 1], by a product with a constant unit vector (no slicing op)
            wk[i] = sd.mmul(w, sd.constant(Nd4j.zeros(t, k, 1).putScalar(i, 0, 1.0)));
            SDVariable m = mu[i].apply(x);                                    // [M, C]
            SDVariable v = sd.nn().sigmoid(var[i].apply(x));                  // [M, C]
            SDVariable eps = noise != null ? noise[i] : sd.placeHolder(noiseName(i), t, -1, classes);
            SDVariable z = m.add(sd.math.sqrt(v).mul(eps));
            SDVariable term = act(z).mul(wk[i]);
            probs = probs == null ? term : probs.add(term);
            actMu[i] = act(m);
            SDVariable mt = actMu[i].mul(wk[i]);
            meanAct = meanAct == null ? mt : meanAct.add(mt);
            SDVariable at = v.mul(wk[i]);
            aleatoric = aleatoric == null ? at : aleatoric.add(at);
        }
        SDVariable epistemic = null;
        for (int i = 0; i < k; i++) {
            SDVariable d = actMu[i].sub(meanAct);
            SDVariable et = d.mul(d).mul(wk[i]);
            epistemic = epistemic == null ? et : epistemic.add(et);
        }
        return new Out(probs, aleatoric, epistemic);
    }

    private SDVariable act(SDVariable z) {
        return activation == Activation.SOFTMAX ? Softmax.of(scope.sd(), z, 1) : scope.sd().nn().sigmoid(z);
    }
}

#!/usr/bin/env python3
"""Train STTran in PyTorch on the tensors of `bin/m3sgg export`, with the kit's recipe, and score it with the kit.

The model is STTran as published (yrcong/STTran lib/sttran.py and lib/transformer.py): the same modules, state-dict
keys and forward pass, written here with nn.MultiheadAttention on frame-padded batches and two-frame windows as the
reference does. It is checked against the reference fixture first (`--check-fixture`). Training follows the kit's
Trainer step for step: the same initial weights (the export's init checkpoint), the same video order per epoch, the
same losses, AdamW, clipping, warm-up and reduce-on-plateau on the validation metric. Validation and test scores come
from `bin/m3sgg eval` on checkpoints this script writes in the kit's format, so both frameworks are scored by the same
evaluator, SGCLS relabelling included. See README.md beside this file.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class EncoderLayer(nn.Module):
    def __init__(self, d, heads, ffn, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout)
        self.linear1 = nn.Linear(d, ffn)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(ffn, d)
        self.norm1 = nn.LayerNorm(d)
        self.norm2 = nn.LayerNorm(d)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)

    def forward(self, src, pad):
        a, _ = self.self_attn(src, src, src, key_padding_mask=pad)
        src = self.norm1(src + self.dropout1(a))
        return self.norm2(src + self.dropout2(self.linear2(self.dropout(F.relu(self.linear1(src))))))


class DecoderLayer(nn.Module):
    """The reference's decoder layer: frame code on queries and keys only, no norm after the feed-forward block."""

    def __init__(self, d, heads, ffn, dropout):
        super().__init__()
        self.multihead2 = nn.MultiheadAttention(d, heads, dropout=dropout)
        self.linear1 = nn.Linear(d, ffn)
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(ffn, d)
        self.norm3 = nn.LayerNorm(d)
        self.dropout2 = nn.Dropout(dropout)
        self.dropout3 = nn.Dropout(dropout)

    def forward(self, x, pad, pos):
        a, _ = self.multihead2(x + pos, x + pos, x, key_padding_mask=pad)
        x = self.norm3(x + self.dropout2(a))
        return x + self.dropout3(self.linear2(self.dropout(F.relu(self.linear1(x)))))


class Stack(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)


class GlocalTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, h, f, p = c["d_model"], c["heads"], c["ffn"], c["dropout"]
        self.local_attention = Stack([EncoderLayer(d, h, f, p) for _ in range(c["enc_layers"])])
        self.global_attention = Stack([DecoderLayer(d, h, f, p) for _ in range(c["dec_layers"])])
        self.position_embedding = nn.Embedding(2, d)
        self.temporal = c["temporal_decoder"]
        self.zero_sum_key_mask = c["zero_sum_key_mask"]

    def forward(self, x, frame):
        """x [P, D] in frame order, frame [P] (long): the 'latter' assembly of lib/transformer.py."""
        d = x.shape[1]
        b = int(frame.max()) + 1 if len(frame) else 0
        counts = torch.bincount(frame, minlength=b)
        l = int(counts.max())
        rel = x.new_zeros(l, b, d)
        pad = torch.ones(b, l, dtype=torch.bool)
        for i in range(b):
            rel[:counts[i], i] = x[frame == i]
            pad[i, :counts[i]] = False
        for layer in self.local_attention.layers:
            rel = layer(rel, pad)
        local = rel.permute(1, 0, 2).reshape(-1, d)[~pad.reshape(-1)]
        if not self.temporal:
            return local
        out = torch.zeros_like(x)
        if b < 2:
            return out                                    # one frame: no window, the reference outputs zeros
        g = x.new_zeros(2 * l, b - 1, d)
        pos = x.new_zeros(2 * l, b - 1, d)
        gpad = torch.ones(b - 1, 2 * l, dtype=torch.bool)
        for j in range(b - 1):
            n0, n1 = int(counts[j]), int(counts[j + 1])
            sel = (frame == j) | (frame == j + 1)
            g[:n0 + n1, j] = local[sel]
            pos[:n0, j] = self.position_embedding.weight[0]
            pos[n0:n0 + n1, j] = self.position_embedding.weight[1]
            gpad[j, :n0 + n1] = False
        if self.zero_sum_key_mask:
            gpad = (g.sum(2) == 0).permute(1, 0)
        for layer in self.global_attention.layers:
            g = layer(g, gpad, pos)
        for j in range(b - 1):
            n0, n1 = int(counts[j]), int(counts[j + 1])
            if j == 0:
                out[frame == 0] = g[:n0, 0]
            out[frame == j + 1] = g[n0:n0 + n1, j]
        return out


class ObjectClassifier(nn.Module):
    def __init__(self, c):
        super().__init__()
        k = c["object_classes"]
        self.obj_embed = nn.Embedding(k - 1, c["embedding"])
        self.pos_embed = nn.Sequential(nn.BatchNorm1d(4, momentum=c["pos_bn_momentum"]), nn.Linear(4, c["pos_embed"]),
                                       nn.ReLU(inplace=True), nn.Dropout(0.1))
        self.decoder_lin = nn.Sequential(nn.Linear(c["feature"] + c["embedding"] + c["pos_embed"],
                                                   c["classifier_hidden"]),
                                         nn.BatchNorm1d(c["classifier_hidden"]), nn.ReLU(),
                                         nn.Linear(c["classifier_hidden"], k))

    def forward(self, features, distribution, boxes):
        wh = boxes[:, 2:] - boxes[:, :2] + 1.0            # lib/fpn/box_utils.center_size
        cs = torch.cat((boxes[:, :2] + 0.5 * wh, wh), 1)
        x = torch.cat((features, distribution @ self.obj_embed.weight, self.pos_embed(cs)), 1)
        return self.decoder_lin(x)


class STTran(nn.Module):
    def __init__(self, c):
        super().__init__()
        u = c["union_out"]
        self.object_classifier = ObjectClassifier(c)
        self.union_func1 = nn.Conv2d(c["union_in"], u, 1, 1)
        self.conv = nn.Sequential(
            nn.Conv2d(2, u // 2, kernel_size=7, stride=2, padding=3, bias=True), nn.ReLU(inplace=True),
            nn.BatchNorm2d(u // 2, momentum=0.01), nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
            nn.Conv2d(u // 2, u, kernel_size=3, stride=1, padding=1, bias=True), nn.ReLU(inplace=True),
            nn.BatchNorm2d(u, momentum=0.01))
        self.subj_fc = nn.Linear(c["feature"], c["pair_fc"])
        self.obj_fc = nn.Linear(c["feature"], c["pair_fc"])
        self.vr_fc = nn.Linear(u * 49, c["pair_fc"])
        self.obj_embed = nn.Embedding(c["object_classes"], c["embedding"])
        self.obj_embed2 = nn.Embedding(c["object_classes"], c["embedding"])
        self.glocal_transformer = GlocalTransformer(c)
        self.a_rel_compress = nn.Linear(c["d_model"], c["attention_classes"])
        self.s_rel_compress = nn.Linear(c["d_model"], c["spatial_classes"])
        self.c_rel_compress = nn.Linear(c["d_model"], c["contacting_classes"])
        self.union_out = u

    def forward(self, v):
        pairs = v["pairs"]
        subj = self.subj_fc(v["features"][pairs[:, 0]])
        obj = self.obj_fc(v["features"][pairs[:, 1]])
        vr = self.union_func1(v["union"]) + self.conv(v["masks"])
        vr = self.vr_fc(vr.reshape(-1, self.union_out * 49))
        sem = torch.cat((self.obj_embed(v["labels"][pairs[:, 0]]), self.obj_embed2(v["labels"][pairs[:, 1]])), 1)
        out = self.glocal_transformer(torch.cat((subj, obj, vr, sem), 1), v["pair_frame"])
        return (self.a_rel_compress(out), torch.sigmoid(self.s_rel_compress(out)),
                torch.sigmoid(self.c_rel_compress(out)))


# ---- kit checkpoint <-> state dict (the kit splits in_proj into q/k/v) --------------------------------------------

def from_kit(params):
    sd = {}
    for k, a in params.items():
        t = torch.from_numpy(np.array(a, dtype=np.float32))
        for w in ("weight", "bias"):
            if k.endswith(".q_" + w):
                base = k[:-len(".q_" + w)]
                sd[base + ".in_proj_" + w] = torch.cat([torch.from_numpy(np.array(params[base + "." + x + "_" + w],
                                                                                  dtype=np.float32))
                                                        for x in "qkv"])
        if not any(k.endswith("." + x + "_" + w) for x in "qkv" for w in ("weight", "bias")):
            sd[k] = t
    return sd


def to_kit(model, keys):
    sd = model.state_dict()
    out = {}
    for k in keys:
        for w in ("weight", "bias"):
            for i, x in enumerate("qkv"):
                if k.endswith("." + x + "_" + w):
                    full = sd[k[:-len(x + "_" + w)] + "in_proj_" + w]
                    n = full.shape[0] // 3
                    out[k] = full[i * n:(i + 1) * n].detach().numpy().astype(np.float32)
        if k not in out:
            out[k] = sd[k].detach().numpy().astype(np.float32)
    return out


def load_kit(model, params_file):
    params = dict(np.load(params_file))
    missing, unexpected = model.load_state_dict(from_kit(params), strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise SystemExit(f"{params_file}: missing {missing}, unexpected {unexpected}")
    return list(params.keys())


# ---- the kit's recipe ----------------------------------------------------------------------------------------------

def tensors(z, mode):
    v = {"features": torch.from_numpy(z["features"]), "boxes": torch.from_numpy(z["boxes"]).float(),
         "labels": torch.from_numpy(z["labels"]).long(), "pairs": torch.from_numpy(z["pairs"]).long(),
         "pair_frame": torch.from_numpy(z["pair_frame"]).long(), "union": torch.from_numpy(z["union"]),
         "masks": torch.from_numpy(z["masks"]), "attention": torch.from_numpy(z["attention"]).long(),
         "spatial": torch.from_numpy(z["spatial"]), "contacting": torch.from_numpy(z["contacting"])}
    if mode == "sgcls":
        v["distribution"] = torch.from_numpy(z["distribution"])
        v["object_labels"] = torch.from_numpy(z["object_labels"]).long()
    return v


def loss_of(model, v, mode, relation_loss):
    a, s, c = model(v)
    loss = F.cross_entropy(a, v["attention"])
    if relation_loss != "bce":
        raise SystemExit("only relation_loss: bce is implemented here (the quick configs' choice)")
    loss = loss + F.binary_cross_entropy(s, v["spatial"]) + F.binary_cross_entropy(c, v["contacting"])
    if mode == "sgcls":
        logits = model.object_classifier(v["features"], v["distribution"], v["boxes"])
        loss = loss + F.cross_entropy(logits, v["object_labels"])
    return loss


def learning_rate(t, g, plateau_lr, spe):
    if t["schedule"] == "plateau":
        lr = plateau_lr
    elif t["schedule"] == "constant":
        lr = t["lr"]
    else:
        total = t["epochs"] * spe
        prog = min(1.0, max(0.0, (g - t["warmup_steps"]) / max(1, total - t["warmup_steps"])))
        lr = t["min_lr"] + 0.5 * (t["lr"] - t["min_lr"]) * (1 + math.cos(math.pi * prog))
    if g < t["warmup_steps"]:
        lr *= (g + 1.0) / t["warmup_steps"]
    return lr


def kit_eval(kit, ckpt, split, out_json):
    cmd = [os.path.join(kit, "bin", "m3sgg"), "eval", "--checkpoint", ckpt, "--split", split, "--json", out_json]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stdout}\n{r.stderr}")
    with open(out_json) as f:
        return json.load(f), r.stdout


def write_checkpoint(model, keys, init_dir, out_dir, epoch, kind):
    tmp = out_dir + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    shutil.copy(os.path.join(init_dir, "config.yaml"), tmp)
    with open(os.path.join(init_dir, "meta.json")) as f:
        meta = json.load(f)
    meta.update(kind=kind, epoch=epoch, created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    meta["versions"] = dict(meta.get("versions", {}), trained_by=f"tools/torch-reference torch {torch.__version__}")
    with open(os.path.join(tmp, "meta.json"), "w") as f:
        json.dump(meta, f)
    np.savez(os.path.join(tmp, "params.npz"), **to_kit(model, keys))
    shutil.rmtree(out_dir, ignore_errors=True)
    os.rename(tmp, out_dir)


def train(args):
    with open(os.path.join(args.export, "export.json")) as f:
        ex = json.load(f)
    mc, t, mode = ex["model_config"], ex["train_config"], ex["mode"]
    if t["videos_per_step"] != 1:
        raise SystemExit("videos_per_step 1 only")
    torch.manual_seed(t["seed"])
    model = STTran(mc)
    keys = load_kit(model, os.path.join(args.export, "init", "params.npz"))
    used = [p for n, p in model.named_parameters() if mode == "sgcls" or not n.startswith("object_classifier.")]
    opt = torch.optim.AdamW(used, lr=t["lr"], betas=(t["beta1"], t["beta2"]), eps=t["eps"],
                            weight_decay=t["weight_decay"])
    videos = {}
    for vid in ex["train"]:
        with np.load(os.path.join(args.export, "videos", vid + ".npz")) as z:
            videos[vid] = tensors(z, mode)
    os.makedirs(args.out, exist_ok=True)
    spe = ex["steps_per_epoch"]
    g, plateau_lr, plateau_best, plateau_bad, best_metric, best_epoch = 0, t["lr"], -1.0, 0, -1.0, -1
    constraint, metric_name = t["val_constraint"], t["val_metric"]
    log = open(os.path.join(args.out, "steps.csv"), "w")
    log.write("global_step,epoch,video,loss,lr\n")
    history = []
    for epoch in range(t["epochs"]):
        model.train()
        t0, loss_sum = time.time(), 0.0
        for vid in ex["epoch_orders"][epoch]:
            lr = learning_rate(t, g, plateau_lr, spe)
            for group in opt.param_groups:
                group["lr"] = lr
            opt.zero_grad(set_to_none=True)
            loss = loss_of(model, videos[vid], mode, mc["relation_loss"])
            if not torch.isfinite(loss):
                raise SystemExit(f"loss {loss.item()} at epoch {epoch}, video {vid}")
            loss.backward()
            if t["clip_norm"] > 0:
                nn.utils.clip_grad_norm_(used, t["clip_norm"])
            opt.step()
            g += 1
            loss_sum += loss.item()
            log.write(f"{g},{epoch},{vid},{loss.item():.9g},{lr:.9g}\n")
        log.flush()
        model.eval()
        ck = os.path.join(args.out, f"epoch-{epoch:03d}")
        write_checkpoint(model, keys, os.path.join(args.export, "init"), ck, epoch, "epoch")
        scores, _ = kit_eval(args.kit, ck, "val", os.path.join(ck, "val.scores.json"))
        metric = scores[constraint][metric_name]
        best = metric > best_metric
        if best:
            best_metric, best_epoch = metric, epoch
        if t["schedule"] == "plateau":
            if metric > plateau_best + t["plateau_threshold"]:
                plateau_best, plateau_bad = metric, 0
            else:
                plateau_bad += 1
            if plateau_bad > t["plateau_patience"]:
                nxt = max(plateau_lr * t["plateau_factor"], t["min_lr"])
                if plateau_lr - nxt > 1e-8:
                    plateau_lr = nxt
                plateau_bad = 0
        history.append({"epoch": epoch, "loss": loss_sum / spe, "val": metric, "best": best,
                        "seconds": time.time() - t0})
        print(f"epoch {epoch + 1}/{t['epochs']}: loss {loss_sum / spe:.4f}, val {constraint} {metric_name} "
              f"{100 * metric:.2f}{' (best)' if best else ''}, {time.time() - t0:.1f} s", flush=True)
    with open(os.path.join(args.out, "history.json"), "w") as f:
        json.dump(history, f, indent=1)
    best_dir = os.path.join(args.out, f"epoch-{best_epoch:03d}")
    scores, text = kit_eval(args.kit, best_dir, "test", os.path.join(args.out, "test.scores.json"))
    print(text, end="")
    print(f"selected epoch {best_epoch + 1}; test scores: {os.path.join(args.out, 'test.scores.json')}")


def grad_fixture(args):
    """One PredCLS training-mode forward and backward on one exported video from the export's initial weights: the
    loss terms and every parameter's gradient, under the kit's names, for the kit's SttranTorchGradientTest."""
    with open(os.path.join(args.export, "export.json")) as f:
        ex = json.load(f)
    mc, mode = ex["model_config"], ex["mode"]
    if mode != "predcls":
        raise SystemExit("--grad-fixture: PredCLS only (SGCLS's position dropout draws differ between frameworks)")
    if mc["dropout"] != 0:
        raise SystemExit("--grad-fixture: needs model.dropout=0")
    model = STTran(mc)
    keys = load_kit(model, os.path.join(args.export, "init", "params.npz"))
    model.train()
    with np.load(os.path.join(args.export, "videos", args.video + ".npz")) as z:
        v = tensors(z, mode)
    a, s, c = model(v)
    terms = {"attention_loss": F.cross_entropy(a, v["attention"]),
             "spatial_loss": F.binary_cross_entropy(s, v["spatial"]),
             "contacting_loss": F.binary_cross_entropy(c, v["contacting"])}
    loss = sum(terms.values())
    loss.backward()
    out = {k: np.array(t.item(), dtype=np.float64) for k, t in terms.items()}
    out["loss"] = np.array(loss.item(), dtype=np.float64)
    grads = {n: p.grad for n, p in model.named_parameters() if p.grad is not None}
    for k in keys:
        if k.endswith(("running_mean", "running_var")) or k.startswith("object_classifier."):
            continue
        g = None
        for w in ("weight", "bias"):
            for i, x in enumerate("qkv"):
                if k.endswith("." + x + "_" + w):
                    full = grads[k[:-len(x + "_" + w)] + "in_proj_" + w]
                    n = full.shape[0] // 3
                    g = full[i * n:(i + 1) * n]
        g = grads[k] if g is None else g
        out["grad/" + k] = g.detach().numpy().astype(np.float32)
    os.makedirs(args.grad_fixture, exist_ok=True)
    np.savez_compressed(os.path.join(args.grad_fixture, "grads.npz"), **out)
    shutil.copy(os.path.join(args.export, "init", "params.npz"), os.path.join(args.grad_fixture, "params.npz"))
    shutil.copy(os.path.join(args.export, "videos", args.video + ".npz"), os.path.join(args.grad_fixture, "video.npz"))
    with open(os.path.join(args.grad_fixture, "fixture.json"), "w") as f:
        json.dump({"video": args.video, "mode": mode, "model_config": mc, "torch": torch.__version__,
                   "made_by": "tools/torch-reference/sttran_torch.py --grad-fixture"}, f, indent=1)
    print({k: float(out[k]) for k in ("loss", "attention_loss", "spatial_loss", "contacting_loss")})


# ---- the reference fixture -------------------------------------------------------------------------------------------

def check_fixture(folder):
    """Forward pass on src/test/resources/reference/sttran-reference: the published STTran's outputs, max abs difference."""
    with open(os.path.join(folder, "dims.json")) as f:
        d = json.load(f)
    c = {"feature": d["feature"], "union_in": d["union_channels_in"], "union_out": d["union_channels_out"],
         "pair_fc": d["pair_fc"], "embedding": d["embedding"], "d_model": d["d_model"], "heads": d["heads"],
         "ffn": d["ffn"], "enc_layers": d["enc_layers"], "dec_layers": d["dec_layers"], "dropout": 0.1,
         "object_classes": d["object_classes"], "classifier_hidden": d["classifier_hidden"],
         "pos_embed": d["pos_embed"], "pos_bn_momentum": 0.001, "attention_classes": 3, "spatial_classes": 6,
         "contacting_classes": 17, "temporal_decoder": True, "zero_sum_key_mask": False}
    # Without the reference's zero-sum key mask: the fixture's layer norms have weight 1 and bias 0, so every encoder
    # row sums to 0 up to rounding, and which real rows the quirk masks depends on the order of additions (PyTorch
    # 2.x here masks some, the PyTorch 1.13 that wrote the fixture masked none). See docs/PERFORMANCE.md.
    model = STTran(c)
    ck = torch.load(os.path.join(folder, "sttran_predcls.zip.tar"), map_location="cpu", weights_only=False)
    model.load_state_dict(ck["state_dict"] if "state_dict" in ck else ck)
    model.eval()
    ld = lambda n: torch.from_numpy(np.load(os.path.join(folder, n)))
    boxes = ld("in_boxes.npy").float()
    v = {"features": ld("in_features.npy").float(), "labels": ld("in_labels.npy").long(),
         "pairs": ld("in_pair_idx.npy").long(), "pair_frame": ld("in_im_idx.npy").long(),
         "union": ld("in_union_feat.npy").float(), "masks": ld("in_spatial_masks.npy").float()}
    with torch.no_grad():
        a, s, cc = model(v)
    diffs = {k: float((x - ld(f"out_{k}_distribution.npy")).abs().max())
             for k, x in (("attention", a), ("spatial", s), ("contacting", cc))}
    print(json.dumps(diffs))
    return max(diffs.values()) < 1e-4


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--export", help="folder written by `bin/m3sgg export`")
    p.add_argument("--out", help="run folder (epoch checkpoints in the kit's format, steps.csv, test.scores.json)")
    p.add_argument("--kit", default=os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..")),
                   help="the kit's root (for bin/m3sgg eval)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--check-fixture", metavar="DIR", help="only compare the forward pass with a reference fixture")
    p.add_argument("--grad-fixture", metavar="DIR", help="only write the loss and gradients of one video (--video) "
                   "from the export's initial weights")
    p.add_argument("--video", help="video id for --grad-fixture")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.check_fixture:
        sys.exit(0 if check_fixture(args.check_fixture) else 1)
    if args.grad_fixture:
        if not args.export or not args.video:
            p.error("--grad-fixture needs --export and --video")
        grad_fixture(args)
        return
    if not args.export or not args.out:
        p.error("--export and --out are required")
    train(args)


if __name__ == "__main__":
    main()

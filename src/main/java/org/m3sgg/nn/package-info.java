/**
 * Reusable SameDiff building blocks for the relation models (STTran, and later TEMPURA, STKET, DSG-DETR).
 *
 * <p>{@link org.m3sgg.nn.NnScope} owns one graph's state (type, seeded initialiser, train flag, torch bindings);
 * layers create their variables under PyTorch's state_dict names so {@link org.m3sgg.nn.TorchBindings} can load a
 * checkpoint strictly. The pieces avoid the ND4J 1.0.0-M2.1 autodiff gaps: no gather (use
 * {@link org.m3sgg.nn.Selection} one-hot products), no dropout op (mask multiply), no built-in attention
 * (hand-written with additive masks), no OIYX conv weights in backprop, no log_softmax with an axis in backprop.
 *
 * <p>Forward-only pieces built straight from a state dict, for frozen backbones: {@link org.m3sgg.nn.TorchWeights}
 * (keys taken one by one, strict at the end), {@link org.m3sgg.nn.FrozenBatchNorm} (scale and shift) and
 * {@link org.m3sgg.nn.ResNetTrunk} (stem, bottleneck layers with the stride on the first 1x1 (Caffe) or on the 3x3
 * (torchvision), depth and widths read from the keys, libnd4j {@code conv2d}).
 */
package org.m3sgg.nn;

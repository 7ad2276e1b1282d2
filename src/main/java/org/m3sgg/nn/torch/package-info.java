/** Reading PyTorch {@code torch.save} checkpoints (zip and legacy formats) without Python. */
package org.m3sgg.nn.torch;

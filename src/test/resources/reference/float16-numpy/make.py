# Regenerates input.npy / half.npy (numpy's float32 -> float16 cast) for HalfTest.
import numpy as np
rng = np.random.default_rng(7)
special = np.array([0.0, -0.0, 1.0, -1.0, 65504.0, 65519.99, 65520.0, 1e6, -1e6, np.inf, -np.inf, np.nan,
                    2.0**-14, 2.0**-24, 2.0**-25, 2.0**-25 * 1.0000001, 1.5 * 2.0**-25, 3 * 2.0**-26,
                    2.0**-14 - 2.0**-25, 1.0 + 2.0**-11, 1.0 + 3 * 2.0**-11, 1e-8, 1e-30, 0.1, 1 / 3],
                   dtype=np.float32)
mags = np.exp(rng.uniform(np.log(1e-9), np.log(1e5), 4000)).astype(np.float32)
signs = np.where(rng.random(4000) < 0.5, -1, 1).astype(np.float32)
ties = (rng.integers(-2048 * 16, 2048 * 16, 1000) + 0.5).astype(np.float32) * np.float32(2.0**-12)
x = np.concatenate([special, mags * signs, ties]).astype(np.float32)
np.save("input.npy", x)
np.save("half.npy", x.astype(np.float16))

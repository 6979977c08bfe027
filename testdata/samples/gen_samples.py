#!/usr/bin/python3
"""Convert the bundled MNIST test images (testdata/mxnet/mnist-samples/NN.json,
1x28x28 nested lists in [0, 1]) into .npy inputs for `mxgo run`:
mnist-NN.npy (1,1,28,28) and mnist-batch.npy (10,1,28,28), float32.
Labels of images 00..09 are 7 2 1 0 4 1 4 9 5 9 (see testdata/mxnet/SOURCES.md).
Run from the repository root: /usr/bin/python3 testdata/samples/gen_samples.py"""
import json
import numpy as np

imgs = []
for i in range(10):
    with open("testdata/mxnet/mnist-samples/%02d.json" % i) as f:
        a = np.asarray(json.load(f), dtype=np.float32).reshape(1, 1, 28, 28)
    np.save("testdata/samples/mnist-%02d.npy" % i, a)
    imgs.append(a)
np.save("testdata/samples/mnist-batch.npy", np.concatenate(imgs))

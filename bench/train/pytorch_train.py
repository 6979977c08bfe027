#!/usr/bin/python3
"""PyTorch side of the Fashion-MNIST training comparison (bench/train/compare.sh).

Trains the same networks as `mxgo train` on examples/fashion-mnist's symbols
with the same settings: pixels/255, Xavier-uniform weights (MXNet's Xavier
default: uniform, avg, magnitude 3 equals torch's xavier_uniform_), zero
biases, SGD lr 0.1 momentum 0.9, batch 100, mean cross-entropy (MXNet's
SoftmaxOutput gradient with rescale_grad = 1/batch), shuffled every epoch,
torch.set_num_threads(THREADS). Prints one JSON line per epoch like
`mxgo train -json`. Usage: pytorch_train.py mlp|lenet|lenet-relu DIR [EPOCHS] [THREADS] [LR]
Uses Debian's python3-torch (1.13): run with /usr/bin/python3.
"""
import gzip
import json
import sys
import time

import numpy as np
import torch
import torch.nn as nn


def idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(d, split):
    x = idx(f'{d}/{split}-images-idx3-ubyte.gz').astype(np.float32) / 255.0
    y = idx(f'{d}/{split}-labels-idx1-ubyte.gz').astype(np.int64)
    return torch.from_numpy(x.reshape(-1, 1, 28, 28).copy()), torch.from_numpy(y.copy())


def network(name):
    if name == 'mlp':
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(),
                             nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    act = nn.ReLU if name == 'lenet-relu' else nn.Tanh
    return nn.Sequential(nn.Conv2d(1, 20, 5), act(), nn.MaxPool2d(2, 2),
                         nn.Conv2d(20, 50, 5), act(), nn.MaxPool2d(2, 2),
                         nn.Flatten(), nn.Linear(800, 500), act(), nn.Linear(500, 10))


def main():
    name, d = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    lr = float(sys.argv[5]) if len(sys.argv) > 5 else 0.1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    xtr, ytr = load(d, 'train')
    xte, yte = load(d, 't10k')
    net = network(name)
    for m in net.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    bs = 100
    for epoch in range(1, epochs + 1):
        net.train()
        perm = torch.randperm(len(xtr))
        correct = 0
        t0 = time.perf_counter()
        for i in range(0, len(xtr), bs):
            ix = perm[i:i + bs]
            xb, yb = xtr[ix], ytr[ix]
            opt.zero_grad()
            out = net(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            correct += (out.argmax(1) == yb).sum().item()
        secs = time.perf_counter() - t0
        net.eval()
        with torch.no_grad():
            ev = sum((net(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item()
                     for i in range(0, len(xte), 1000))
        print(json.dumps({'epoch': epoch, 'train_accuracy': correct / len(xtr),
                          'eval_accuracy': ev / len(xte), 'samples_per_s': len(xtr) / secs,
                          'seconds': secs}), flush=True)


if __name__ == '__main__':
    main()

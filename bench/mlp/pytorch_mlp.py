#!/usr/bin/python3
"""PyTorch side of the MLP 784-512-512-10 (ReLU, softmax) comparison.

Runs the same network as `go test -bench MLP ./bench/mlp` (random float32
weights; inference only) and prints one JSON line per configuration with the
same fields the Go benchmark reports (cpu_us: process CPU time per batch,
all threads, the peer of the Go benchmark's cpu-us/op), so `bench/mlp/compare.sh` can put both
side by side. Uses Debian's python3-torch (1.13): run with /usr/bin/python3.
"""
import json
import sys
import time

import torch

def measure(batch, threads, seconds=2.0):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(),
        torch.nn.Linear(512, 512), torch.nn.ReLU(),
        torch.nn.Linear(512, 10), torch.nn.Softmax(dim=1)).eval()
    x = torch.rand(batch, 784)
    lat = []
    with torch.inference_mode():
        for _ in range(50):  # warm-up
            net(x)
        end = time.perf_counter() + seconds
        cpu0 = time.process_time_ns()
        while time.perf_counter() < end:
            t0 = time.perf_counter_ns()
            net(x)
            lat.append(time.perf_counter_ns() - t0)
    cpu_us = (time.process_time_ns() - cpu0) / len(lat) / 1e3
    lat.sort()
    p50 = lat[len(lat) // 2] / 1e3
    p90 = lat[len(lat) * 9 // 10] / 1e3
    return {"peer": "pytorch " + torch.__version__, "batch": batch, "threads": threads,
            "p50_us": round(p50, 2), "p90_us": round(p90, 2),
            "samples_per_s": round(batch / (sum(lat) / len(lat) / 1e9), 1),
            "cpu_us": round(cpu_us, 2)}

if __name__ == "__main__":
    configs = [(1, 1), (256, 2)] if len(sys.argv) == 1 else [tuple(map(int, a.split("x"))) for a in sys.argv[1:]]
    for batch, threads in configs:
        print(json.dumps(measure(batch, threads)))

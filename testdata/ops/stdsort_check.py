#!/usr/bin/python3
"""Cross-check mxref_index's transcription of libstdc++ std::sort /
std::partial_sort against the real thing: compiles MXNet's CPU TopKSort
loop body with the system g++ and compares the position order on random
inputs full of ties (both the full-sort and the partial-sort path).

    /usr/bin/python3 testdata/ops/stdsort_check.py [TRIALS]

Needs g++ (libstdc++); not part of the golden generation."""

import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import mxref_index  # noqa: E402

SRC = r"""
#include <algorithm>
#include <cstdio>
#include <vector>
// TopKSort (src/operator/tensor/ordering_op-inl.h), one row.
int main() {
  int n, k, asc;
  while (std::scanf("%d %d %d", &n, &k, &asc) == 3) {
    std::vector<float> vals(n);
    std::vector<long> idx(n);
    for (int i = 0; i < n; ++i) { std::scanf("%f", &vals[i]); idx[i] = i; }
    const bool full_sort(k * 8 > n);
    auto lt = [&](const long& a, const long& b) { return vals[a] < vals[b]; };
    auto gt = [&](const long& a, const long& b) { return vals[a] > vals[b]; };
    if (asc) {
      if (full_sort) std::sort(idx.begin(), idx.end(), lt);
      else std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), lt);
    } else {
      if (full_sort) std::sort(idx.begin(), idx.end(), gt);
      else std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), gt);
    }
    for (int i = 0; i < k; ++i) std::printf("%ld ", idx[i]);
    std::printf("\n");
  }
}
"""


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rnd = random.Random(7)
    with tempfile.TemporaryDirectory() as d:
        src, exe = os.path.join(d, "s.cc"), os.path.join(d, "s")
        with open(src, "w") as f:
            f.write(SRC)
        subprocess.run(["g++", "-O1", "-o", exe, src], check=True)
        cases, lines = [], []
        for _ in range(trials):
            n = rnd.choice([rnd.randint(1, 20), rnd.randint(17, 80), rnd.randint(100, 700)])
            k = min(n, rnd.choice([1, 2, 3, rnd.randint(1, n), n]))
            asc = rnd.randint(0, 1)
            vals = [rnd.randint(0, rnd.choice([1, 2, 4, 30])) * 0.5 for _ in range(n)]
            cases.append((vals, k, asc))
            lines.append("%d %d %d %s" % (n, k, asc, " ".join(repr(v) for v in vals)))
        out = subprocess.run([exe], input="\n".join(lines) + "\n", capture_output=True, text=True,
                             check=True).stdout.splitlines()
    bad = 0
    for (vals, k, asc), got in zip(cases, out):
        want = [int(t) for t in got.split()]
        mine = mxref_index._order(vals, k, bool(asc))
        if mine != want:
            bad += 1
            if bad <= 3:
                print("mismatch n=%d k=%d asc=%d" % (len(vals), k, asc))
    print("%d/%d rows agree with libstdc++" % (len(cases) - bad, len(cases)))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

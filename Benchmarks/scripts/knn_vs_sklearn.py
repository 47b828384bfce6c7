#!/usr/bin/env python3
"""k-NN and all-pairs measures: `embedding-drift bench knn` (Swift, blocked BLAS) beside numpy/scikit-learn on the
same synthetic data, in the same run; times, peak resident memory, and a parity check of the results.

    swift build -c release
    nice python3 Benchmarks/scripts/knn_vs_sklearn.py --sizes 1000,10000,100000 --columns 2048

The data: a[i] = u(seed, i), b[i] = a[i] + 0.3 u(seed + 1, i), u uniform in [-1, 1) from a counter-based SplitMix64
(element i of the row-major matrix from splitmix64(seed + (i + 1) * golden gamma) >> 40), exactly as BenchKNN.swift.
Each side runs in a fresh process, so each peak RSS is that side's own. The machine may be shared: wall-clock seconds
then depend on the load, CPU seconds (all threads of the process) much less.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

GAMMA = np.uint64(0x9E3779B97F4A7C15)


def uniform(rows, columns, seed, chunk_rows=4096):
    out = np.empty((rows, columns), dtype=np.float32)
    with np.errstate(over="ignore"):
        for start in range(0, rows, chunk_rows):
            stop = min(rows, start + chunk_rows)
            i = np.arange(start * columns + 1, stop * columns + 1, dtype=np.uint64)
            z = np.uint64(seed) + i * GAMMA
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z ^= z >> np.uint64(31)
            out[start:stop] = ((z >> np.uint64(40)).astype(np.float32) * np.float32(2.0**-23) - 1).reshape(
                stop - start, columns)
    return out


def python_measures(rows, columns, k, seed, skip_b, indices_path):
    """Runs in a child process: numpy / scikit-learn on the same data; prints one JSON object."""
    from sklearn.neighbors import NearestNeighbors

    timings, cpu, values = {}, {}, {}

    def timed(name, fn):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = fn()
        timings[name] = time.perf_counter() - start
        cpu[name] = time.process_time() - cpu_start
        return result

    a = timed("generate", lambda: uniform(rows, columns, seed))

    def knn(x):
        nn = NearestNeighbors(n_neighbors=k + 1, metric="cosine", algorithm="brute").fit(x)
        _, idx = nn.kneighbors(x)
        # Drop the concept itself (normally the first column).
        keep = idx != np.arange(len(x))[:, None]
        return np.array([row[m][:k] for row, m in zip(idx, keep)])

    knn_a = timed("knn_a", lambda: knn(a))
    np.save(indices_path, knn_a.astype(np.int32))
    b = timed("generate_b", lambda: a + np.float32(0.3) * uniform(rows, columns, seed + 1))
    if not skip_b:
        knn_b = timed("knn_b", lambda: knn(b))

        def jaccard():
            shared = (knn_a[:, :, None] == knn_b[:, None, :]).sum(axis=(1, 2))
            return shared / (2 * k - shared), shared

        jac, shared = timed("jaccard", jaccard)
        values["mean_jaccard"] = float(jac.mean())
        values["mutual_knn"] = float((shared / k).mean())

        def second_order():
            na = np.linalg.norm(a, axis=1)
            nb = np.linalg.norm(b, axis=1)
            union = np.concatenate([knn_a, knn_b], axis=1)
            duplicate = (knn_b[:, :, None] == knn_a[:, None, :]).any(axis=2)
            mask = np.concatenate([np.ones_like(knn_a, dtype=bool), ~duplicate], axis=1)
            out = np.empty(rows)
            for s in range(0, rows, 2048):
                e = min(rows, s + 2048)
                u = union[s:e]
                sa = np.einsum("id,ijd->ij", a[s:e], a[u]) / (na[s:e, None] * na[u])
                sb = np.einsum("id,ijd->ij", b[s:e], b[u]) / (nb[s:e, None] * nb[u])
                m = mask[s:e]
                dot = (sa * sb * m).sum(1)
                out[s:e] = 1 - dot / np.sqrt((sa * sa * m).sum(1) * (sb * sb * m).sum(1))
            return out

        values["mean_second_order"] = float(timed("second_order", second_order).mean())

    def drift():
        dot = np.einsum("ij,ij->i", a, b, dtype=np.float64)
        return 1 - dot / (np.linalg.norm(a.astype(np.float64), axis=1) * np.linalg.norm(b.astype(np.float64), axis=1))

    values["mean_drift"] = float(timed("cosine_drift", drift).mean())

    def anisotropy():
        # Mean off-diagonal cosine, from the sum of unit rows (the full N x N matrix does not fit at 100,000).
        u = a / np.linalg.norm(a, axis=1, keepdims=True)
        s = u.sum(0, dtype=np.float64)
        return float((s @ s - rows) / (rows * (rows - 1)))

    values["anisotropy_a"] = timed("anisotropy", anisotropy)

    def cka_both():
        # Kornblith et al.'s feature-space linear CKA (their published notebook), in float64.
        x = a.astype(np.float64)
        x -= x.mean(0)
        y = b.astype(np.float64)
        y -= y.mean(0)
        xty = np.linalg.norm(x.T @ y) ** 2
        nx = np.linalg.norm(x.T @ x)
        ny = np.linalg.norm(y.T @ y)
        biased = float(xty / (nx * ny))
        n = rows
        rx = np.einsum("ij,ij->i", x, x)
        ry = np.einsum("ij,ij->i", y, y)
        sx, sy = rx.sum(), ry.sum()

        def helper(v, ra, rb, sa, sb):
            return v - n / (n - 2.0) * ra.dot(rb) + sa * sb / ((n - 1) * (n - 2))

        xty = helper(xty, rx, ry, sx, sy)
        nx = np.sqrt(helper(nx**2, rx, rx, sx, sx))
        ny = np.sqrt(helper(ny**2, ry, ry, sy, sy))
        return biased, float(xty / (nx * ny))

    def procrustes_aligned():
        import scipy.linalg

        an = a.astype(np.float64)
        an /= np.linalg.norm(an, axis=1, keepdims=True)
        bn = b.astype(np.float64)
        bn /= np.linalg.norm(bn, axis=1, keepdims=True)
        r, _ = scipy.linalg.orthogonal_procrustes(an, bn)
        rotated = an @ r
        return 1 - np.einsum("ij,ij->i", rotated, bn) / np.linalg.norm(rotated, axis=1)

    values["mean_procrustes_aligned"] = float(timed("procrustes_aligned", procrustes_aligned).mean())

    def procrustes_distance():
        # Ding et al. (2021): 2 - 2 ||X^T Y||_* on centred, unit-Frobenius X and Y.
        x = a.astype(np.float64)
        x -= x.mean(0)
        x /= np.linalg.norm(x)
        y = b.astype(np.float64)
        y -= y.mean(0)
        y /= np.linalg.norm(y)
        return float(2 - 2 * np.linalg.norm(x.T @ y, ord="nuc"))

    values["procrustes_distance"] = timed("procrustes_distance", procrustes_distance)
    values["cka"], values["cka_debiased"] = timed("cka_both", cka_both)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "columns": columns, "k": k, "peak_rss_mib": peak, "seconds": timings,
                      "cpu_seconds": cpu, "values": values}))


def run_json(command):
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--columns", type=int, default=2048)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-b-above", type=int, default=20000,
                        help="above this many rows, skip k-NN of b and the overlap measures (both sides)")
    parser.add_argument("--binary", default=".build/release/embedding-drift")
    parser.add_argument("--command", default="bench knn", help="the subcommand path of BenchKNN")
    parser.add_argument("--python-only", action="store_true")
    parser.add_argument("--swift-only", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--indices", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        python_measures(args.rows, args.columns, args.k, args.seed, args.rows > args.skip_b_above, args.indices)
        return

    report = []
    with tempfile.TemporaryDirectory() as scratch:
        for rows in [int(s) for s in args.sizes.split(",")]:
            skip_b = rows > args.skip_b_above
            entry = {"rows": rows, "columns": args.columns, "k": args.k}
            swift_indices = os.path.join(scratch, f"swift_{rows}.bin")
            python_indices = os.path.join(scratch, f"python_{rows}.npy")
            if not args.python_only:
                command = [args.binary, *args.command.split(), "--rows", str(rows), "--columns", str(args.columns),
                           "--k", str(args.k), "--seed", str(args.seed), "--indices-out", swift_indices]
                if skip_b:
                    command.append("--skip-neighbors-b")
                entry["swift"] = run_json(command)
                print(f"swift  {rows:>7} x {args.columns}: {json.dumps(entry['swift'])}", file=sys.stderr)
            if not args.swift_only:
                entry["python"] = run_json([sys.executable, __file__, "--child", "--rows", str(rows), "--columns",
                                            str(args.columns), "--k", str(args.k), "--seed", str(args.seed),
                                            "--skip-b-above", str(args.skip_b_above), "--indices", python_indices])
                print(f"python {rows:>7} x {args.columns}: {json.dumps(entry['python'])}", file=sys.stderr)
            if "swift" in entry and "python" in entry:
                si = np.fromfile(swift_indices, dtype="<i4").reshape(rows, args.k)
                pi = np.load(python_indices)
                same_set = np.mean([len(set(x) & set(y)) / args.k for x, y in zip(si, pi)])
                entry["parity"] = {
                    "knn_identical_rows": float((si == pi).all(axis=1).mean()),
                    "knn_set_agreement": float(same_set),
                    "max_relative_difference": {
                        key: abs(entry["swift"]["values"][key] - value) / max(abs(value), 1e-300)
                        for key, value in entry["python"]["values"].items() if key in entry["swift"]["values"]},
                }
            report.append(entry)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()

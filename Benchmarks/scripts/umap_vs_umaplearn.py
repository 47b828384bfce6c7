"""UMAP quality and speed: EmbeddingDrift's Swift UMAP against umap-learn on the same data.

Run from the package root after `swift build -c release`:
    nice python3 Benchmarks/scripts/umap_vs_umaplearn.py [--sets a,b,c,d] [--ours CMD]

Data sets (generated here, seeded):
  a  705 x 2048 clustered points on the unit sphere (cosine)   -- the joint projection of 235 concepts x 3 variants
  b  10,000 x 2048 clustered points on the unit sphere (cosine)
  c  50,000 x 384 clustered points on the unit sphere (cosine)
  d  digits-like: 20 clusters of different sizes and spreads, 3,000 x 64 (euclidean)

For each: umap-learn's fit_transform is called twice (the first call compiles its numba code; the second is timed),
with default parameters and no random_state (so it runs in parallel, its fastest mode). Ours runs through the
command line (default: .build/release/embedding-drift umap, also parallel), timed around the fit as the tool
reports it ("fit N s"; reading the .npy is excluded on both sides). CPU seconds (all threads) are printed for both
too: on a loaded, shared machine they compare the work done more fairly than wall time. Printed: trustworthiness (scikit-learn, k = 10), 10-NN preservation, times, and
whether the acceptance criteria (trust within 0.01, kNN within 0.02, speed) hold. The machine's load average is
printed too, since it is shared.
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import warnings

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
import numpy as np  # noqa: E402
from sklearn.manifold import trustworthiness  # noqa: E402
from sklearn.neighbors import NearestNeighbors  # noqa: E402

warnings.filterwarnings("ignore")


def sphere_clusters(n, dim, clusters, seed, spread=0.5):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    sizes = rng.dirichlet(np.full(clusters, 2.0))
    labels = rng.choice(clusters, size=n, p=sizes)
    scales = spread * rng.uniform(0.5, 1.5, size=clusters)
    x = centres[labels] + scales[labels, None] * rng.normal(size=(n, dim)) / np.sqrt(dim)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32)


def digits_like(n=3000, dim=64, clusters=20, seed=4):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(clusters, dim))
    sizes = rng.dirichlet(np.full(clusters, 3.0))
    labels = rng.choice(clusters, size=n, p=sizes)
    scales = rng.uniform(0.6, 1.6, size=clusters)
    # Each cluster lies near a random 6-D subspace, like the low intrinsic dimension of digit images.
    basis = rng.normal(size=(clusters, 6, dim))
    latent = rng.normal(size=(n, 6))
    x = centres[labels] + np.einsum("nk,nkd->nd", latent, basis[labels]) * scales[labels, None] * 0.5
    x += 0.3 * rng.normal(size=(n, dim))
    return x.astype(np.float32)


SETS = {
    "a": ("705 x 2048 sphere clusters", lambda: sphere_clusters(705, 2048, 12, 1), "cosine"),
    "b": ("10,000 x 2048 sphere clusters", lambda: sphere_clusters(10_000, 2048, 30, 2), "cosine"),
    "c": ("50,000 x 384 sphere clusters", lambda: sphere_clusters(50_000, 384, 60, 3), "cosine"),
    "d": ("3,000 x 64 digits-like, 20 clusters", digits_like, "euclidean"),
}


def knn_preservation(x, y, k, metric):
    a = NearestNeighbors(n_neighbors=k, metric=metric).fit(x).kneighbors(return_distance=False)
    b = NearestNeighbors(n_neighbors=k).fit(y).kneighbors(return_distance=False)
    return float(np.mean([len(set(a[i]) & set(b[i])) / k for i in range(len(x))]))


def quality(x, y, metric):
    # Trustworthiness is O(n^2) in memory; above 12,000 points it is estimated on a fixed random subset of 10,000
    # (both embeddings on the same subset, neighbours found within the subset).
    idx = np.arange(len(x))
    if len(x) > 12_000:
        idx = np.sort(np.random.default_rng(0).choice(len(x), 10_000, replace=False))
    return (
        float(trustworthiness(x[idx], y[idx], n_neighbors=10, metric=metric)),
        knn_preservation(x[idx], y[idx], 10, metric),
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="a,b,c,d")
    ap.add_argument("--ours", default=".build/release/embedding-drift umap --in {inp} --out {out} --metric {metric}")
    args = ap.parse_args()
    import umap  # noqa: E402  (imported late: its numba import takes seconds)

    print(f"umap-learn {umap.__version__}; load average {os.getloadavg()}; {os.cpu_count()} CPUs", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for key in args.sets.split(","):
            name, make, metric = SETS[key]
            x = make()
            inp = os.path.join(tmp, f"{key}.npy")
            out = os.path.join(tmp, f"{key}_ours.npy")
            np.save(inp, x)

            # Ours.
            cmd = args.ours.format(inp=inp, out=out, metric=metric)
            c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            run = subprocess.run(cmd, shell=True, check=True, stdout=subprocess.PIPE, text=True)
            ours_wall = time.perf_counter() - t0
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            ours_cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
            fit = re.search(r"fit ([0-9.]+) s", run.stdout)
            ours_time = float(fit.group(1)) if fit else ours_wall
            y_ours = np.load(out)

            # umap-learn: cold call, then the timed warm call.
            load_before = os.getloadavg()[0]
            # (a subset of 5,000 points still compiles the NN-descent path used beyond 4,096 points)
            umap.UMAP(metric=metric).fit_transform(x[:5000])
            r0 = resource.getrusage(resource.RUSAGE_SELF)
            t0 = time.perf_counter()
            y_ref = umap.UMAP(metric=metric).fit_transform(x)
            ref_time = time.perf_counter() - t0
            r1 = resource.getrusage(resource.RUSAGE_SELF)
            ref_cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)

            t_ours, k_ours = quality(x, y_ours, metric)
            t_ref, k_ref = quality(x, y_ref, metric)
            need = 3.0 if key in ("a", "b") else 1.0
            ok = (t_ours >= t_ref - 0.01) and (k_ours >= k_ref - 0.02) and (ref_time / ours_time >= need)
            rows.append((key, name, t_ours, t_ref, k_ours, k_ref, ours_time, ref_time, ok))
            print(
                f"[{key}] {name} ({metric}): trustworthiness ours {t_ours:.4f} umap-learn {t_ref:.4f} | "
                f"10-NN kept ours {k_ours:.4f} umap-learn {k_ref:.4f} | time ours {ours_time:.2f} s "
                f"umap-learn (warm) {ref_time:.2f} s = {ref_time / ours_time:.1f}x (need {need:.0f}x) | "
                f"CPU seconds ours {ours_cpu:.2f} (process, wall {ours_wall:.2f} s) umap-learn {ref_cpu:.2f} "
                f"= {ref_cpu / ours_cpu:.1f}x | load {load_before:.1f} | {'PASS' if ok else 'FAIL'}",
                flush=True,
            )
    print("all PASS" if all(r[-1] for r in rows) else "some FAIL")


if __name__ == "__main__":
    main()

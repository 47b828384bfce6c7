#!/usr/bin/env python3
"""The reference for the logit-lens comparison's arithmetic: numpy/scipy computing, in float64 from float32 logits,
what `compare --logit-lens` computes per pair (both KLs, JS, both entropies, both top-1 tokens) for 17 layers of 235
concepts over Llama 3's 128,256-token vocabulary, 64 concepts at a time (random logits of the same shape; one layer
timed, times 17). Usage: /work/venv/bin/python Benchmarks/scripts/lens_divergence_numpy.py
"""
import time, numpy as np
from scipy.special import log_softmax
rng = np.random.default_rng(0)
C, V, L = 235, 128256, 17
a = rng.normal(0, 3, (C, V)).astype(np.float32); b = (a + rng.normal(0, 0.5, (C, V))).astype(np.float32)
def js_layer(a, b):
    out = np.empty(len(a))
    for i in range(0, len(a), 64):
        x, y = a[i:i+64].astype(np.float64), b[i:i+64].astype(np.float64)
        lp, lq = log_softmax(x, axis=1), log_softmax(y, axis=1)
        p, q = np.exp(lp), np.exp(lq)
        lm = np.log(0.5 * (p + q))
        js = 0.5 * np.sum(p * (lp - lm), axis=1) + 0.5 * np.sum(q * (lq - lm), axis=1)
        kl = np.sum(p * (lp - lq), axis=1); kl2 = np.sum(q * (lq - lp), axis=1)
        h1 = -np.sum(p * lp, axis=1); h2 = -np.sum(q * lq, axis=1)
        t1 = np.argmax(x, axis=1); t2 = np.argmax(y, axis=1)
        out[i:i+64] = js
    return out
t = time.perf_counter(); js_layer(a, b); dt = time.perf_counter() - t
print(f"numpy/scipy float64, one layer of {C} x {V}: {dt:.2f} s; x{L} layers = {dt*L:.1f} s")

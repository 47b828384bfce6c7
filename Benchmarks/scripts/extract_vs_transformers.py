#!/usr/bin/env python3
"""Extraction benchmark: `embedding-drift extract` against transformers on the same model, prompts and threads.

Up to seven runs on one checkpoint folder (config.json, safetensors, tokenizer.json), each in its own process so
that its peak RSS is its own, all with the same thread count:

  study        transformers as the reference study runs it: AutoModelForCausalLM, bfloat16, output_hidden_states=True,
               right padding with pad = eos, truncation at 64 tokens, batch 32, last real token of the last layer.
  best         transformers at its best on a CPU: the base model (AutoModel, no LM head), float32, batch 32, same
               pooling.
  best-prefix  `best` with the trick Swift uses by default: per batch of 32, the opening every prompt shares
               ("<bos>The concept of") runs once, its key/value cache is repeated over the batch, and only the
               rest of each prompt (right-padded) runs against it.
  swift        `embedding-drift extract MODEL --vocab seed-235 --layers all` (release build), which also keeps every
               layer; the shared opening is computed once per batch (the default).
  swift-full   the same with --no-prefix-sharing: every prompt computed in full, as transformers does.
  swift-bf16, swift-bf16-full
               the two above with `--compute bf16` (linear layers on the AVX-512 BF16 kernel; skipped on other CPUs).

The prompts are the 235 reference concepts through `The concept of {term} is`. Reported per run: wall time of the
extraction (model loading excluded; reported apart), its CPU seconds over all threads (for Swift the whole process,
loading included, from /usr/bin/time), prompt tokens/s (prompt tokens, whatever was computed), the token rows the
linear layers actually computed (padding included for transformers, shared openings once per batch where shared),
achieved GFLOP/s over those rows (2 · rows · linear parameters, plus attention's 4 · Σ seq² · hidden per layer; the
LM head's FLOPs are not counted for any run), that as a fraction of this machine's sgemm peak (and of the peak
measured just before that run, "% local", which makes runs comparable on a shared machine whose load changes), and
peak RSS. For the bf16 runs the peak is the bf16 kernel's (`embedding-drift bench bf16gemm`, 2048³, same threads),
measured the same way. The last-layer vectors of each run are compared with Swift's (cosine, min over concepts).

Usage (from the package root; build first with `swift build -c release`):

    nice python3 Benchmarks/scripts/extract_vs_transformers.py --model /work/scratch/llama-3.2-1b-random \
        [--binary .build/release/embedding-drift] [--threads 2] [--peak-gflops 170] [--skip study] [--json out.json] \
        [--repeat 2]

The sgemm peak (a 2048³ product, best of 5, same threads) is measured with `embedding-drift bench sgemm` before and
after the runs (the machine may be shared: both are printed, the higher is used); --peak-gflops overrides it; numpy
is the fallback when the command is missing.
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODES = ("swift", "swift-full", "swift-bf16", "swift-bf16-full", "best", "best-prefix", "study")
SWIFT_FLAGS = {"swift": [], "swift-full": ["--no-prefix-sharing"], "swift-bf16": ["--compute", "bf16"],
               "swift-bf16-full": ["--compute", "bf16", "--no-prefix-sharing"]}
TEMPLATE = "The concept of {term} is"


def seed_terms() -> list[str]:
    for candidate in (ROOT.parent.parent / "shared" / "data" / "concepts-seed-235.json",
                      Path("/work/shared/data/concepts-seed-235.json")):
        if candidate.exists():
            return [c["term"] for c in json.loads(candidate.read_text())["concepts"]]
    raise SystemExit("concepts-seed-235.json not found")


def linear_flops_per_token(config: dict) -> float:
    """2 × the parameters of every linear layer in the blocks (q, k, v, o, gate, up, down)."""
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = config.get("head_dim") or hidden // heads
    inter = config["intermediate_size"]
    attention = hidden * heads * head_dim + 2 * hidden * kv_heads * head_dim + heads * head_dim * hidden
    per_block = attention + 3 * hidden * inter
    if experts := config.get("num_experts") or config.get("num_local_experts"):
        # A routed block runs its router and the active experts for each token.
        width = config.get("moe_intermediate_size") or inter
        per_block = attention + hidden * experts + config["num_experts_per_tok"] * 3 * hidden * width
    return 2.0 * per_block * config["num_hidden_layers"]


def attention_flops(config: dict, lengths: list[int]) -> float:
    heads = config["num_attention_heads"]
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    # QK^T and AV, causal: about seq² / 2 products each, 2 FLOPs each → 2 · seq² · heads · head_dim per layer.
    return float(sum(2 * n * n * heads * head_dim for n in lengths)) * config["num_hidden_layers"]


def shared_prefix_length(batches: list[list[int]]) -> int:
    """How many leading ids every sequence shares, leaving each at least one of its own (0 for fewer than two)."""
    if len(batches) < 2:
        return 0
    shared = min(len(ids) for ids in batches) - 1
    first = batches[0]
    for ids in batches[1:]:
        i = 0
        while i < shared and ids[i] == first[i]:
            i += 1
        shared = i
    return max(0, shared)


def worker(mode: str, model_dir: str, threads: int, out_npy: str) -> None:
    """One transformers run; prints a JSON line with its timings and peak RSS."""
    import numpy as np
    import torch
    from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(threads)
    terms = seed_terms()
    prompts = [TEMPLATE.format(term=t) for t in terms]
    load_start = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(model_dir, padding_side="right")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if mode == "study":
        model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.bfloat16, output_hidden_states=True)
    else:
        model = AutoModel.from_pretrained(model_dir, dtype=torch.float32)
    model.eval()
    load_seconds = time.perf_counter() - load_start

    vectors = []
    lengths = []
    computed = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    with torch.inference_mode():
        for i in range(0, len(prompts), 32):
            if mode == "best-prefix":
                ids = [tokenizer(p, truncation=True, max_length=64)["input_ids"] for p in prompts[i:i + 32]]
                shared = shared_prefix_length(ids)
                prefix = torch.tensor([ids[0][:shared]])
                opened = model(input_ids=prefix, use_cache=True)
                cache = getattr(opened, "cache", None) or opened.past_key_values
                cache.batch_repeat_interleave(len(ids))
                rest = [x[shared:] for x in ids]
                width = max(len(x) for x in rest)
                pad = tokenizer.pad_token_id
                suffix = torch.tensor([x + [pad] * (width - len(x)) for x in rest])
                mask = torch.tensor([[1] * (shared + len(x)) + [0] * (width - len(x)) for x in rest])
                positions = torch.arange(shared, shared + width).unsqueeze(0).expand(len(ids), -1)
                # transformers ≥ 5.2x calls the cache argument `cache` (`past_key_values` is deprecated).
                cache_argument = "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"
                hidden = model(input_ids=suffix, attention_mask=mask, position_ids=positions, use_cache=True,
                               **{cache_argument: cache}).last_hidden_state
                computed += shared + len(ids) * width
                for b, x in enumerate(rest):
                    lengths.append(shared + len(x))
                    vectors.append(hidden[b, len(x) - 1, :].float().numpy())
                continue
            batch = tokenizer(prompts[i:i + 32], return_tensors="pt", padding=True, truncation=True, max_length=64)
            if mode == "study":
                outputs = model(**batch, output_hidden_states=True)
                hidden = outputs.hidden_states[-1]
            else:
                hidden = model(**batch).last_hidden_state
            computed += batch["input_ids"].numel()
            last = batch["attention_mask"].sum(dim=1) - 1
            lengths.extend(int(n) + 1 for n in last)
            for b, t in enumerate(last):
                vectors.append(hidden[b, t, :].float().numpy())
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    np.save(out_npy, np.stack(vectors).astype(np.float32))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"mode": mode, "seconds": seconds, "cpu_seconds": cpu_seconds, "cpu_includes_loading": False,
                      "load_seconds": load_seconds, "tokens": sum(lengths), "computed_tokens": computed,
                      "lengths": lengths, "peak_rss_bytes": rss}))


def run_worker(mode: str, args, scratch: Path) -> dict:
    out_npy = scratch / f"{mode}.npy"
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    result = subprocess.run([sys.executable, __file__, "--worker", mode, "--model", args.model,
                             "--threads", str(args.threads), "--worker-out", str(out_npy)],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"transformers {mode} run failed:\n{result.stderr[-3000:]}")
    info = json.loads(result.stdout.strip().splitlines()[-1])
    info["npy"] = str(out_npy)
    return info


def run_swift(args, scratch: Path, extra: list[str]) -> dict:
    out = scratch / ("swift-run" + "".join(extra).replace("-", ""))
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads))
    command = ["/usr/bin/time", "-v", args.binary, "extract", args.model, "--vocab", "seed-235", "--out", str(out),
               "--name", "bench", "--layers", "all"] + extra
    wall_start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - wall_start
    if result.returncode != 0:
        raise SystemExit(f"embedding-drift extract failed:\n{result.stderr[-3000:]}")
    rss = 0
    cpu = 0.0
    for line in result.stderr.splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.split(":")[-1].strip()) * 1024
        if "User time (seconds)" in line or "System time (seconds)" in line:
            cpu += float(line.split(":")[-1].strip())
    manifest = json.loads((out / "manifest.json").read_text())
    entry = next(v for v in manifest["variants"] if v["name"] == "bench")
    return {"mode": "swift", "seconds": entry["timings"]["forward_seconds"] + entry["timings"]["tokenize_seconds"],
            "computed_tokens": entry["timings"].get("computed_tokens", entry["tokens"]),
            "forward_seconds": entry["timings"]["forward_seconds"], "load_seconds": entry["timings"]["load_seconds"],
            "process_wall_seconds": wall, "tokens": entry["tokens"], "lengths": entry["token_counts"],
            "peak_rss_bytes": rss, "npy": str(out / "embeddings_bench.npy"), "layers_kept": len(entry["layers"]),
            "compute": entry.get("compute", "f32"), "cpu_seconds": cpu, "cpu_includes_loading": True}


def sgemm_peak(args) -> tuple[float, str]:
    if args.peak_gflops:
        return args.peak_gflops, "given"
    try:
        result = subprocess.run([args.binary, "bench", "sgemm", "--sizes", "2048", "--shapes", "", "--threads",
                                 str(args.threads), "--runs", "5", "--json"], capture_output=True, text=True,
                                timeout=600, env=dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads)))
        if result.returncode == 0:
            data = json.loads(result.stdout)
            peak = data.get("peakGflops") or data.get("peak_gflops")
            if peak:
                return float(peak), "embedding-drift bench sgemm"
    except (OSError, ValueError, subprocess.TimeoutExpired):
        pass
    code = ("import numpy as np, time\n"
            "a=np.random.rand(2048,2048).astype(np.float32); b=np.random.rand(2048,2048).astype(np.float32)\n"
            "best=1e9\n"
            "for _ in range(5):\n t=time.perf_counter(); a@b; best=min(best,time.perf_counter()-t)\n"
            "print(2*2048**3/best/1e9)")
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return float(out.strip()), "numpy float32 2048² matmul"


def bf16_peak(args) -> float:
    """The bf16 kernel's GFLOP/s on a 2048³ product (0 when the command fails, e.g. without AVX-512 BF16)."""
    try:
        result = subprocess.run([args.binary, "bench", "bf16gemm", "--shapes", "2048x2048x2048", "--threads",
                                 str(args.threads), "--runs", "5", "--json"], capture_output=True, text=True,
                                timeout=600)
        if result.returncode == 0:
            return float(json.loads(result.stdout)["bf16PeakGflops"])
    except (OSError, ValueError, KeyError, subprocess.TimeoutExpired):
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "embedding-drift"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--peak-gflops", type=float, default=0)
    parser.add_argument("--skip", action="append", default=[], choices=list(MODES))
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every mode this many times, in turn; the fastest run of each counts")
    parser.add_argument("--json")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.model, args.threads, args.worker_out)
        return

    import numpy as np

    config = json.loads((Path(args.model) / "config.json").read_text())
    weights_f32 = 0
    for file in Path(args.model).glob("*.safetensors"):
        with open(file, "rb") as f:
            n = int.from_bytes(f.read(8), "little")
            header = json.loads(f.read(n))
        for name, t in header.items():
            if name != "__metadata__":
                count = 1
                for d in t["shape"]:
                    count *= d
                weights_f32 += 4 * count
    peak_before, peak_source = sgemm_peak(args)
    scratch = Path(tempfile.mkdtemp(prefix="bench-extract-"))
    runs = {}
    peak_bf16 = 0.0
    try:
        bf16_peaks = []
        for _ in range(args.repeat):
            for mode in MODES:
                if mode in args.skip:
                    continue
                bf16 = "bf16" in mode
                if bf16:
                    local_peak = bf16_peak(args)
                    if local_peak == 0:
                        print(f"skipping {mode}: `bench bf16gemm` failed (no AVX-512 BF16?)", file=sys.stderr)
                        continue
                    bf16_peaks.append(local_peak)
                else:
                    local_peak, _ = sgemm_peak(args) if not args.peak_gflops else (args.peak_gflops, "")
                print(f"running {mode} ({'bf16 kernel' if bf16 else 'sgemm'} peak just before: "
                      f"{local_peak:.1f} GFLOP/s) …", file=sys.stderr, flush=True)
                if mode.startswith("swift"):
                    result = run_swift(args, scratch, SWIFT_FLAGS[mode])
                else:
                    result = run_worker(mode, args, scratch)
                result["sgemm_peak_before_run"] = local_peak
                if mode not in runs or result["seconds"] < runs[mode]["seconds"]:
                    runs[mode] = result
        peak_after, _ = sgemm_peak(args)
        peak = max(peak_before, peak_after)
        peak_source += f" (before {peak_before:.1f}, after {peak_after:.1f})"
        if bf16_peaks:
            bf16_peaks.append(bf16_peak(args))
            peak_bf16 = max(bf16_peaks)
            peak_source += f"; bf16 kernel peak {peak_bf16:.1f} GFLOP/s (before {bf16_peaks[0]:.1f}, after {bf16_peaks[-1]:.1f})"
        per_token = linear_flops_per_token(config)
        print(f"\nmodel: {args.model}  ({config.get('model_type')}, {config['num_hidden_layers']} layers, hidden "
              f"{config['hidden_size']}, float32 weights {weights_f32 / 2**30:.2f} GiB); threads {args.threads}; "
              f"sgemm peak {peak:.1f} GFLOP/s ({peak_source})")
        print(f"{'run':<16}{'seconds':>9}{'load s':>8}{'tokens':>8}{'rows':>7}{'tok/s':>9}{'GFLOP/s':>9}{'% peak':>8}"
              f"{'% local':>8}{'RSS GiB':>9}{'RSS/f32w':>9}{'cos min':>9}{'CPU s':>8}")
        reference = np.load(runs["swift"]["npy"]) if "swift" in runs else None
        for mode, r in runs.items():
            flops = per_token * r["computed_tokens"] + attention_flops(config, r["lengths"])
            seconds = r.get("forward_seconds", r["seconds"])
            r["gflops"] = flops / seconds / 1e9
            r["fraction_of_peak"] = r["gflops"] / (peak_bf16 if "bf16" in mode else peak)
            r["tokens_per_second"] = r["tokens"] / r["seconds"]
            r["rss_over_f32_weights"] = r["peak_rss_bytes"] / weights_f32
            cosine = float("nan")
            if reference is not None:
                other = np.load(r["npy"])
                other = other / np.maximum(np.linalg.norm(other, axis=1, keepdims=True), 1e-30)
                cosine = float(np.min(np.sum(other * reference, axis=1)))
            r["min_cosine_to_swift"] = cosine
            print(f"{mode:<16}{r['seconds']:>9.2f}{r['load_seconds']:>8.1f}{r['tokens']:>8}{r['computed_tokens']:>7}"
                  f"{r['tokens_per_second']:>9.1f}"
                  f"{r['gflops']:>9.1f}{100 * r['fraction_of_peak']:>7.1f}%"
                  f"{100 * r['gflops'] / r['sgemm_peak_before_run']:>7.1f}%{r['peak_rss_bytes'] / 2**30:>9.2f}"
                  f"{r['rss_over_f32_weights']:>9.2f}{cosine:>9.5f}{r['cpu_seconds']:>7.1f}{'*' if r['cpu_includes_loading'] else ' '}")
        for ours in ("swift", "swift-full", "swift-bf16", "swift-bf16-full"):
            if ours in runs:
                for mode in ("best", "best-prefix", "study"):
                    if mode in runs:
                        print(f"{ours} is {runs[mode]['seconds'] / runs[ours]['seconds']:.2f}× faster than "
                              f"transformers {mode}")
        print("(rows: token rows the linear layers computed; % peak: of the sgemm peak, for the bf16 runs of the bf16 "
              "kernel's peak; CPU s: CPU seconds of the "
              "extraction, all threads — * = the whole process, loading the model included — less sensitive than "
              "wall time to other processes on a shared machine)")
        if args.json:
            for r in runs.values():
                r.pop("lengths", None)
            Path(args.json).write_text(json.dumps({"model": args.model, "threads": args.threads, "peak_gflops": peak,
                                                   "peak_bf16_gflops": peak_bf16,
                                                   "peak_source": peak_source, "weights_f32_bytes": weights_f32,
                                                   "runs": runs}, indent=1))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

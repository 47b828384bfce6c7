#!/usr/bin/env python3
"""What next-token logits and the logit lens cost over extraction alone, for `embedding-drift extract` and for
transformers doing the same, on the same checkpoint, prompts and threads, in one run.

Six runs, each in its own process (235 reference concepts through `The concept of {term} is`, every hidden state):

  swift            `extract --layers all`                              (hidden states only)
  swift-next       `extract --layers all --next-token`                 (+ logits at the last prompt token)
  swift-lens       `extract --layers all --logit-lens 10`              (+ the top 10 of every layer through the head)
  hf               transformers float32, AutoModelForCausalLM body only (`model.model`), batch 32, right padding,
                   every hidden state of the last real token
  hf-next          the same + `lm_head` on the last real token's final state (what `logits[:, -1]` is)
  hf-lens          the same + final norm and `lm_head` on every layer's last-token state, top 10 (torch.topk)

Reported: the extraction's own time (the tool's printed forward time; transformers' loop time), model loading
excluded, and each `-next`/`-lens` run relative to its base run.

Usage (build first with `swift build -c release`):
    nice /work/venv/bin/python Benchmarks/scripts/next_token_vs_transformers.py --model CHECKPOINT \
        [--binary .build/release/embedding-drift] [--threads 2]
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = "The concept of {term} is"


def terms() -> list[str]:
    path = ROOT.parent / "shared" / "data" / "concepts-seed-235.json"
    if not path.exists():
        path = Path("/work/shared/data/concepts-seed-235.json")
    return [c["term"] for c in json.loads(path.read_text())["concepts"]]


def worker(mode: str, model_dir: str, threads: int) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(threads)
    prompts = [TEMPLATE.format(term=t) for t in terms()]
    tokenizer = AutoTokenizer.from_pretrained(model_dir, padding_side="right")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    body, head = model.model, model.get_output_embeddings()
    start = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(prompts), 32):
            batch = tokenizer(prompts[i:i + 32], return_tensors="pt", padding=True)
            states = body(**batch, output_hidden_states=True).hidden_states
            last = batch["attention_mask"].sum(dim=1) - 1
            rows = torch.arange(len(last))
            kept = [s[rows, last] for s in states]
            if mode == "hf-next":
                head(kept[-1])
            elif mode == "hf-lens":
                for index, state in enumerate(kept):
                    normed = state if index == len(kept) - 1 else body.norm(state)
                    torch.topk(torch.softmax(head(normed), dim=-1), 10)
    print(json.dumps({"mode": mode, "seconds": time.perf_counter() - start}))


def swift(binary: str, model: str, extra: list[str]) -> float:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run([binary, "extract", model, "--vocab", "seed-235", "--out", out, "--layers", "all",
                               "--quiet"] + extra, capture_output=True, text=True, check=True)
    match = re.search(r" in ([0-9.]+) s \(", done.stdout)
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "embedding-drift"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.model, args.threads)
        return
    results = {}
    for mode, extra in [("swift", []), ("swift-next", ["--next-token"]), ("swift-lens", ["--logit-lens", "10"])]:
        results[mode] = swift(args.binary, args.model, extra)
        print(f"{mode:11s} {results[mode]:7.2f} s", flush=True)
    for mode in ("hf", "hf-next", "hf-lens"):
        done = subprocess.run([sys.executable, __file__, "--model", args.model, "--threads", str(args.threads),
                               "--worker", mode], capture_output=True, text=True, check=True)
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])["seconds"]
        print(f"{mode:11s} {results[mode]:7.2f} s", flush=True)
    for base, runs in (("swift", ("swift-next", "swift-lens")), ("hf", ("hf-next", "hf-lens"))):
        for run in runs:
            print(f"{run}: {results[run] / results[base]:.2f}x {base}")
    print(f"swift-next is {results['hf-next'] / results['swift-next']:.2f}x faster than hf-next; "
          f"swift-lens {results['hf-lens'] / results['swift-lens']:.2f}x faster than hf-lens")


if __name__ == "__main__":
    main()

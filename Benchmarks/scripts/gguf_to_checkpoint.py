#!/usr/bin/env python3
"""Writes the float32 Hugging Face checkpoint of a GGUF model (for the GGUF-vs-F32 extraction benchmark).

transformers loads the GGUF (dequantizing every tensor to float32 with gguf-py) and saves config.json,
model.safetensors (float32) and tokenizer.json into --out (a scratch folder; never commit it).

Run:  nice python3 Benchmarks/scripts/gguf_to_checkpoint.py \
          --gguf /work/refdata/gemma-3-270m-q4_k_m.gguf --out /work/scratch/gguf/gemma-3-270m-f32
"""
import argparse
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gguf", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    gguf = Path(args.gguf)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    # transformers refuses save_pretrained on a GGUF-loaded model; the dequantized weights are plain float32 tensors.
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.contiguous() for k, v in model.state_dict().items() if k != "lm_head.weight"}  # tied
    save_file(state, str(out / "model.safetensors"), metadata={"format": "pt"})
    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.dtype = "float32"
    config.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    print("wrote", args.out)


if __name__ == "__main__":
    main()

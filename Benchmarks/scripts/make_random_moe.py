#!/usr/bin/env python3
"""Writes two random-weight checkpoints for the Mixture-of-Experts benchmark (bf16 safetensors; never commit them):

  moe    Qwen3-MoE-30B-A3B's block shapes: hidden 2048, 32 query / 4 key-value heads of 128, 128 experts of width 768,
         8 active per token (renormalised), every block routed;
  dense  Qwen3 with the same attention and a dense MLP of width 8 × 768 = 6144: the same active parameters per token
         (bar the 128 × 2048 router).

Both have --layers blocks (default 4: the MoE blocks hold 604 M expert parameters each, 2.4 GB in float32) and the
Llama 3 vocabulary (128,256 tokens; the tokenizer comes from `add_llama32_tokenizer.py`), so both run the same 235
reference prompts. Usage (from the package root):

    nice /work/venv/bin/python Benchmarks/scripts/make_random_moe.py OUT_DIR [--layers 4]
    # then, for each of OUT_DIR/moe and OUT_DIR/dense:
    /work/venv/bin/python Benchmarks/scripts/add_llama32_tokenizer.py OUT_DIR/moe OUT_DIR/moe-tok
"""
import argparse
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers import Qwen3Config, Qwen3MoeConfig

H, HEADS, KV, D, EXPERTS, ACTIVE, WIDTH, V = 2048, 32, 4, 128, 128, 8, 768, 128256


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--layers", type=int, default=4)
    args = parser.parse_args()
    common = dict(vocab_size=V, hidden_size=H, num_hidden_layers=args.layers, num_attention_heads=HEADS,
                  num_key_value_heads=KV, head_dim=D, max_position_embeddings=40960, rms_norm_eps=1e-6,
                  tie_word_embeddings=True, bos_token_id=128000, eos_token_id=128001,
                  rope_parameters=dict(rope_type="default", rope_theta=1000000.0))
    configs = {
        "moe": Qwen3MoeConfig(**common, intermediate_size=6144, moe_intermediate_size=WIDTH, num_experts=EXPERTS,
                              num_experts_per_tok=ACTIVE, norm_topk_prob=True, decoder_sparse_step=1,
                              mlp_only_layers=[]),
        "dense": Qwen3Config(**common, intermediate_size=ACTIVE * WIDTH),
    }
    gen = torch.Generator().manual_seed(0)

    def rand(*shape, scale=0.02):
        return (torch.randn(*shape, generator=gen) * scale).to(torch.bfloat16)

    for name, config in configs.items():
        out = args.out / name
        out.mkdir(parents=True, exist_ok=True)
        config.architectures = ["Qwen3MoeForCausalLM" if name == "moe" else "Qwen3ForCausalLM"]
        config.dtype = "bfloat16"
        config.save_pretrained(out)
        tensors = {"model.embed_tokens.weight": rand(V, H, scale=1.0), "model.norm.weight": 1 + rand(H, scale=0.1)}
        for i in range(args.layers):
            p = f"model.layers.{i}."
            tensors |= {
                p + "input_layernorm.weight": 1 + rand(H, scale=0.1),
                p + "post_attention_layernorm.weight": 1 + rand(H, scale=0.1),
                p + "self_attn.q_proj.weight": rand(HEADS * D, H), p + "self_attn.k_proj.weight": rand(KV * D, H),
                p + "self_attn.v_proj.weight": rand(KV * D, H), p + "self_attn.o_proj.weight": rand(H, HEADS * D),
                p + "self_attn.q_norm.weight": 1 + rand(D, scale=0.1),
                p + "self_attn.k_norm.weight": 1 + rand(D, scale=0.1),
            }
            if name == "moe":
                tensors[p + "mlp.gate.weight"] = rand(EXPERTS, H, scale=0.5)
                for e in range(EXPERTS):
                    q = f"{p}mlp.experts.{e}."
                    tensors |= {q + "gate_proj.weight": rand(WIDTH, H), q + "up_proj.weight": rand(WIDTH, H),
                                q + "down_proj.weight": rand(H, WIDTH)}
            else:
                tensors |= {p + "mlp.gate_proj.weight": rand(ACTIVE * WIDTH, H),
                            p + "mlp.up_proj.weight": rand(ACTIVE * WIDTH, H),
                            p + "mlp.down_proj.weight": rand(H, ACTIVE * WIDTH)}
        save_file(tensors, out / "model.safetensors", metadata={"format": "pt"})
        print("wrote", out, sum(t.numel() for t in tensors.values()) / 1e9, "G parameters", flush=True)


if __name__ == "__main__":
    main()

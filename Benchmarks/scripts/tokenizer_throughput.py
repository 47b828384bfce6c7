#!/usr/bin/env python3
"""Times Hugging Face `tokenizers` on a corpus, for `embedding-drift bench tokenizer`.

Usage: tokenizer_throughput.py TOKENIZER_JSON CORPUS_TXT [--seconds S] [--no-special]
Prints one JSON object: strings per pass, tokens per pass, and strings/s and tokens/s for one `encode` call per
string ("single") and for `encode_batch` over the corpus ("batch", which uses all cores like the Swift parallel run).
"""
import argparse
import json
import time

from tokenizers import Tokenizer


def measure(fn, seconds):
    fn()  # warm-up
    passes, start = 0, time.perf_counter()
    while True:
        fn()
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return passes, elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tokenizer")
    ap.add_argument("corpus")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--no-special", action="store_true")
    a = ap.parse_args()
    tok = Tokenizer.from_file(a.tokenizer)
    tok.no_truncation()
    tok.no_padding()
    with open(a.corpus, encoding="utf-8", newline="\n") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    texts = [t[:-1] if t.endswith("\r") else t for t in texts]
    special = not a.no_special
    tokens = sum(len(e.ids) for e in tok.encode_batch(texts, add_special_tokens=special))
    out = {"strings": len(texts), "tokens": tokens}
    for name, fn in (("single", lambda: [tok.encode(t, add_special_tokens=special) for t in texts]),
                     ("batch", lambda: tok.encode_batch(texts, add_special_tokens=special))):
        passes, elapsed = measure(fn, a.seconds)
        out[name] = {"strings_per_second": len(texts) * passes / elapsed,
                     "tokens_per_second": tokens * passes / elapsed}
    print(json.dumps(out))


if __name__ == "__main__":
    main()

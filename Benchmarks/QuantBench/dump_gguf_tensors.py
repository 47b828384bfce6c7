#!/usr/bin/env python3
"""Dumps one tensor of each type of a GGUF file, raw and as gguf-py dequantizes it, for QuantBench's parity check.

Usage: python3 dump_gguf_tensors.py FILE.gguf OUT_DIR   (never commit the output)
"""
import json
import sys
from pathlib import Path

import numpy as np
from gguf import GGUFReader, quants

reader = GGUFReader(sys.argv[1])
out = Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
seen, manifest = set(), []
for t in reader.tensors:
    name = t.tensor_type.name
    if name in seen:
        continue
    seen.add(name)
    raw = np.asarray(t.data).view(np.uint8).reshape(-1)
    values = quants.dequantize(np.asarray(t.data), t.tensor_type).reshape(-1).astype(np.float32)
    raw.tofile(out / f"{name}.u8")
    values.tofile(out / f"{name}.f32")
    manifest.append({"type": name, "typeId": int(t.tensor_type), "tensor": t.name, "count": int(values.size)})
(out / "manifest.json").write_text(json.dumps(manifest))
print(f"{len(manifest)} tensors written to {out}")

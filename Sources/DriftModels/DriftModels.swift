// DriftModels: model files, tokenizers, architectures, extraction.

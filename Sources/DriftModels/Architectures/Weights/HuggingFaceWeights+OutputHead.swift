import DriftCore

extension HuggingFaceWeights {
    /// The LM head with the final norm and the family's transforms of the logits.
    ///
    /// The head is the family's head tensor when the checkpoint has one (`lm_head.weight`, GPT-NeoX's
    /// `embed_out.weight`, GGUF's `output.weight`), else the token table (tied). It is never quantized, as
    /// transformers with bitsandbytes leaves it.
    ///
    /// - Throws: ``DriftCore/DriftError`` for an encoder (BERT has no LM head) or a head whose shape is not
    ///   `vocabulary × hidden`.
    public func outputHead(embeddings held: EmbeddingWeights?) throws -> OutputHead {
        guard spec.causal else {
            throw DriftError(
                .unsupported, "\(spec.modelType) is an encoder: it has no LM head, so no next-token logits", path: path)
        }
        let embeddings = try held ?? embeddingWeights()
        let name = spec.architecture.family.outputHeadName
        let h = spec.hiddenSize
        let headName = store.info(name) != nil ? name : prefix + spec.architecture.family.tokenEmbeddingName
        if let info = store.info(headName), info.shape == [spec.vocabularySize, h],
            let packed = f32PackedFromBFloat16([info], [info.shape])
        {
            // Held in bf16 for the float32 kernel: half the bytes of the widened table, and the kernel's products.
            return OutputHead(
                projection: .packed(packed), finalNorm: embeddings.finalNorm, normKind: spec.norm,
                normEpsilon: spec.normEpsilon, softcap: spec.outputSoftcap, divisor: spec.outputDivisor)
        }
        let weight: WeightRows
        if let info = store.info(name) {
            try check(info, [spec.vocabularySize, h])
            weight =
                try rowsInPlace([name], [info.shape])
                ?? WeightRows(Matrix(rows: spec.vocabularySize, columns: h, storage: try store.floats(name)))
        } else {
            weight = embeddings.tokenTable.float32
        }
        return OutputHead(
            projection: weight, finalNorm: embeddings.finalNorm, normKind: spec.norm,
            normEpsilon: spec.normEpsilon, softcap: spec.outputSoftcap, divisor: spec.outputDivisor)
    }
}

package import DriftCore

/// A tensor store backed by memory-mapped files whose tensors can be used where they lie, with no copy: float32
/// weights read in place, bf16 weights read in place (for the bf16 kernel) or packed straight from the file.
package protocol InPlaceTensorStore: TensorStore {
    /// Where tensor `name` lies in its mapped file when the file holds it as `type` in the runtime's layout (nothing
    /// to permute or transpose): the file and the byte range; nil otherwise.
    func storedRegion(_ name: String, as type: TensorDataType) -> StoredRegion?
}

extension InPlaceTensorStore {
    /// The tensors `names` as one matrix of `rows` rows read in place, its pages mapped into the process now (see
    /// ``DriftCore/MemoryAdvice/populate(_:)``); nil unless the file holds them as float32 in the runtime's layout,
    /// one right after the other in this order with nothing between (the caller then converts them as before).
    ///
    /// Stacked layers read this way are the same matrix, value for value, as their converted copy.
    package func rowsInPlace(_ names: [String], rows: Int) -> WeightRows? {
        mapped(names, rows: rows, as: .float32)
    }

    /// Tensor `name` (a token table) as `rows` rows read in place, float32 or bf16, its pages mapped into the process
    /// now; nil unless the file holds it as one of the two in the runtime's layout.
    package func tableInPlace(_ name: String, rows: Int) -> WeightRows? {
        mapped([name], rows: rows, as: .float32) ?? mapped([name], rows: rows, as: .bfloat16)
    }

    /// The tensors `names`, stored as `type` (float32 or bf16) one right after the other, as one mapped matrix of
    /// `rows` rows, populated; nil otherwise.
    private func mapped(_ names: [String], rows: Int, as type: TensorDataType) -> WeightRows? {
        let regions = names.map { storedRegion($0, as: type) }
        guard let first = regions.first ?? nil, rows > 0 else { return nil }
        var end = first.offset
        for region in regions {
            guard let region, region.file === first.file, region.offset == end else { return nil }
            end += region.bytes
        }
        let bytes = end - first.offset
        let rowBytes = bytes / rows
        let size = type == .bfloat16 ? MemoryLayout<UInt16>.size : MemoryLayout<Float>.size
        guard rowBytes * rows == bytes, rowBytes % size == 0,
            let weight = WeightRows(
                file: first.file, offset: first.offset, rows: rows, columns: rowBytes / size,
                bfloat16: type == .bfloat16)
        else { return nil }
        first.file.populate(offset: first.offset, count: bytes)
        return weight
    }

    /// The tensors `names`, stacked in this order, as bf16 rows of `columns` values used where they lie (anywhere in
    /// their files), their pages mapped into the process now; nil unless the file holds every one as bf16 in the
    /// runtime's layout and ``DriftCore/BF16Rows`` can read it (even `columns`, 4-byte aligned data).
    package func bf16RowsInPlace(_ names: [String], columns: Int) -> BF16Rows? {
        let rowBytes = columns * MemoryLayout<UInt16>.size
        guard columns > 0, let tensors = bf16Regions(names), tensors.allSatisfy({ $0.region.bytes % rowBytes == 0 }),
            let rows = BF16Rows(
                columns: columns,
                parts: tensors.map { BF16Rows.Part(values: $0.values, rows: $0.region.bytes / rowBytes) },
                owner: tensors.map(\.region.file))
        else { return nil }
        for (region, _) in tensors { region.file.populate(offset: region.offset, count: region.bytes) }
        return rows
    }

    /// Calls `body` with the values of the tensors `names`, in order, where the file holds every one of them as bf16
    /// in the runtime's layout, then drops their mapped pages; nil, without calling `body`, otherwise.
    package func withBFloat16<Result>(_ names: [String], _ body: ([UnsafePointer<UInt16>]) throws -> Result) rethrows
        -> Result?
    {
        guard let tensors = bf16Regions(names) else { return nil }
        let result = try withExtendedLifetime(tensors.map(\.region)) { try body(tensors.map(\.values)) }
        for (region, _) in tensors { region.file.releasePages(offset: region.offset, count: region.bytes) }
        return result
    }

    /// Where each of the tensors `names` lies as bf16 in the runtime's layout, with its first value (2-byte aligned,
    /// non-empty); nil unless every one does.
    private func bf16Regions(_ names: [String]) -> [(region: StoredRegion, values: UnsafePointer<UInt16>)]? {
        var tensors: [(region: StoredRegion, values: UnsafePointer<UInt16>)] = []
        for name in names {
            guard let region = storedRegion(name, as: .bfloat16), region.bytes > 0,
                let bytes = try? region.file.slice(offset: region.offset, count: region.bytes),
                let base = bytes.baseAddress, Int(bitPattern: base) % MemoryLayout<UInt16>.alignment == 0
            else { return nil }
            tensors.append((region, base.assumingMemoryBound(to: UInt16.self)))
        }
        return tensors
    }
}

extension SafetensorsStore: InPlaceTensorStore {
    package func storedRegion(_ name: String, as type: TensorDataType) -> StoredRegion? {
        guard let (file, tensor) = stored(name), tensor.dataType == type else { return nil }
        return StoredRegion(
            file: file.file, offset: file.dataStart + tensor.dataOffsets.lowerBound, bytes: tensor.dataOffsets.count)
    }
}

extension GGUFModelStore: InPlaceTensorStore {
    package func storedRegion(_ name: String, as type: TensorDataType) -> StoredRegion? {
        guard let gguf = untransformedName(name), let tensor = file.tensor(gguf),
            tensor.type.plainDataType == type
        else { return nil }
        return StoredRegion(file: file.file, offset: file.dataStart + tensor.offset, bytes: tensor.byteCount)
    }
}

extension QuantizedTensorStore: InPlaceTensorStore {
    /// The base store's region for a tensor the scheme leaves alone (the token table, the LM head); nil for one it
    /// quantizes.
    package func storedRegion(_ name: String, as type: TensorDataType) -> StoredRegion? {
        guard let info = info(name), !Self.isQuantized(info) else { return nil }
        return (base as? any InPlaceTensorStore)?.storedRegion(name, as: type)
    }
}

/// A tensor store whose float32 tensors can be used where they lie in a memory-mapped file, with no copy.
package protocol InPlaceTensorStore: TensorStore {
    /// The tensors `names` as one matrix of `rows` rows read in place, its pages mapped into the process now (see
    /// ``DriftCore/MemoryAdvice/populate(_:)``); nil unless the file holds them as float32 in the runtime's layout,
    /// one right after the other in this order with nothing between (the caller then converts them as before).
    ///
    /// Stacked layers read this way are the same matrix, value for value, as their converted copy.
    func rowsInPlace(_ names: [String], rows: Int) -> WeightRows?

    /// Calls `body` with the values of the tensors `names`, in order, where the file holds every one of them as bf16
    /// in the runtime's layout, then drops their mapped pages; nil, without calling `body`, otherwise.
    func withBFloat16<Result>(_ names: [String], _ body: ([UnsafePointer<UInt16>]) throws -> Result) rethrows
        -> Result?
}

extension InPlaceTensorStore {
    /// The start of `bytes` as `T` values, or nil when it is empty or not aligned for `T`.
    static func aligned<T>(_ bytes: UnsafeRawBufferPointer, as type: T.Type) -> UnsafePointer<T>? {
        guard let base = bytes.baseAddress, bytes.count > 0,
            Int(bitPattern: base) % MemoryLayout<T>.alignment == 0
        else { return nil }
        return base.assumingMemoryBound(to: T.self)
    }

    /// The float32 byte ranges `regions` of `file` as one matrix of `rows` rows, populated; nil unless each range
    /// starts where the previous one ends and the values split into `rows` rows.
    func contiguousRows(_ file: MappedFile, _ regions: [(offset: Int, bytes: Int)], rows: Int) -> WeightRows? {
        guard let first = regions.first, rows > 0 else { return nil }
        var end = first.offset
        for region in regions {
            guard region.offset == end else { return nil }
            end += region.bytes
        }
        let bytes = end - first.offset
        let rowBytes = bytes / rows
        guard rowBytes * rows == bytes, rowBytes % MemoryLayout<Float>.size == 0,
            let weight = WeightRows(
                file: file, offset: first.offset, rows: rows, columns: rowBytes / MemoryLayout<Float>.size)
        else { return nil }
        file.populate(offset: first.offset, count: bytes)
        return weight
    }
}

extension SafetensorsStore: InPlaceTensorStore {
    package func withBFloat16<Result>(_ names: [String], _ body: ([UnsafePointer<UInt16>]) throws -> Result) rethrows
        -> Result?
    {
        var pointers: [UnsafePointer<UInt16>] = []
        for name in names {
            guard let (file, tensor) = stored(name), tensor.dataType == .bfloat16,
                let pointer = Self.aligned(file.rawBytes(tensor), as: UInt16.self)
            else { return nil }
            pointers.append(pointer)
        }
        let result = try body(pointers)
        for name in names { releasePages(name) }
        return result
    }

    package func rowsInPlace(_ names: [String], rows: Int) -> WeightRows? {
        var shard: SafetensorsFile?
        var regions: [(offset: Int, bytes: Int)] = []
        for name in names {
            guard let (file, tensor) = stored(name), tensor.dataType == .float32, shard.map({ $0 === file }) ?? true
            else { return nil }
            shard = file
            regions.append((file.dataStart + tensor.dataOffsets.lowerBound, tensor.dataOffsets.count))
        }
        guard let shard else { return nil }
        return contiguousRows(shard.file, regions, rows: rows)
    }
}

extension GGUFModelStore: InPlaceTensorStore {
    package func withBFloat16<Result>(_ names: [String], _ body: ([UnsafePointer<UInt16>]) throws -> Result) rethrows
        -> Result?
    {
        var pointers: [UnsafePointer<UInt16>] = []
        for name in names {
            guard let gguf = untransformedName(name), let tensor = file.tensor(gguf), tensor.type == .bf16,
                let pointer = Self.aligned(file.rawBytes(tensor), as: UInt16.self)
            else { return nil }
            pointers.append(pointer)
        }
        let result = try body(pointers)
        for name in names { releasePages(name) }
        return result
    }

    package func rowsInPlace(_ names: [String], rows: Int) -> WeightRows? {
        var regions: [(offset: Int, bytes: Int)] = []
        for name in names {
            guard let gguf = untransformedName(name), let tensor = file.tensor(gguf), tensor.type == .f32 else {
                return nil
            }
            regions.append((file.dataStart + tensor.offset, tensor.byteCount))
        }
        return contiguousRows(file.file, regions, rows: rows)
    }
}

extension QuantizedTensorStore: InPlaceTensorStore {
    /// Nil: every weight read in bf16 is a block linear weight, which the scheme quantizes.
    package func withBFloat16<Result>(_ names: [String], _ body: ([UnsafePointer<UInt16>]) throws -> Result) rethrows
        -> Result?
    { nil }

    /// The base store's rows for tensors the scheme leaves alone (the token table, the LM head); nil when any of
    /// them is quantized.
    package func rowsInPlace(_ names: [String], rows: Int) -> WeightRows? {
        for name in names {
            guard let info = info(name), !Self.isQuantized(info) else { return nil }
        }
        return (base as? any InPlaceTensorStore)?.rowsInPlace(names, rows: rows)
    }
}

import DriftCore
import DriftModels
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `bench load`: how close weight conversion and model loading come to memory (and disk) speed, each figure next to a
/// `memcpy` of the same bytes measured in the same run.
enum LoadBenchmark {
    /// One element type's conversion to float32.
    struct Conversion: Codable {
        /// `F32` (a copy), `F16`, `BF16` or a GGML block type.
        var type: String
        /// Bytes read (the stored tensor).
        var bytesIn: Int
        /// Bytes written (float32).
        var bytesOut: Int
        /// The fastest conversion, in seconds.
        var seconds: Double
        /// Float32 bytes written per second, in GB/s (10⁹ bytes).
        var gigabytesPerSecond: Double
        /// A `memcpy` of `bytesOut` bytes on the same threads, in GB/s.
        var memcpyGigabytesPerSecond: Double
        /// `gigabytesPerSecond / memcpyGigabytesPerSecond`.
        var ofMemcpy: Double
    }

    /// One model file loaded whole, warm (in the page cache) or cold (read from disk).
    struct ModelLoad: Codable {
        /// The model reference.
        var model: String
        /// `warm` or `cold`.
        var cache: String
        /// The model's files, in bytes.
        var fileBytes: Int
        /// The float32 (or packed) weights the model holds, in bytes.
        var weightBytes: Int
        /// The fastest load (configuration, tokenizer, every weight), in seconds.
        var loadSeconds: Double
        /// Reading the files once with `read(2)`, one reader per file, in seconds (the disk's or the page cache's
        /// sequential speed).
        var readSeconds: Double
        /// A `memcpy` of `weightBytes` on every thread, in seconds (1 GiB timed, scaled).
        var memcpySeconds: Double
        /// How the page cache was emptied for a cold run (`drop_caches` or `posix_fadvise`), or nil.
        var dropped: String?
    }

    /// The whole report.
    struct Report: Codable {
        var threads: Int
        var conversions: [Conversion]
        var models: [ModelLoad]
        var loadAverage: Double?
    }

    /// The types `bench load` converts: the plain ones, then every GGML block type the dequantizer decodes.
    static let types: [GGMLType] =
        [.f32, .f16, .bf16]
        + GGMLType.allCases.filter {
            $0.canDequantize && $0.plainDataType == nil
        }

    /// Converts `elements` values of each type (from valid-looking random bytes: every half-precision scale normal)
    /// into float32 `runs` times, with a `memcpy` of the same output size on the same threads beside each.
    static func conversions(elements: Int, runs: Int, progress: (Int) -> Void) throws -> [Conversion] {
        let output = UnsafeMutableBufferPointer<Float>.allocate(capacity: elements)
        defer { output.deallocate() }
        output.initialize(repeating: 1)
        let copySource = UnsafeMutableBufferPointer<Float>.allocate(capacity: elements)
        defer { copySource.deallocate() }
        copySource.initialize(repeating: 2)
        guard let from = copySource.baseAddress, let to = output.baseAddress else { return [] }
        var results: [Conversion] = []
        for (done, type) in types.enumerated() {
            let count = elements / type.blockSize * type.blockSize
            let bytesIn = try type.byteCount(elementCount: count)
            var generator = SystemRandomNumberGenerator()
            // Bytes in 0x20…0x3B: any little-endian half-precision or bf16 value built from them is normal.
            let input = (0..<bytesIn).map { _ in UInt8(0x20 + Int.random(in: 0..<28, using: &generator)) }
            let seconds = try input.withUnsafeBytes { bytes in
                try BenchmarkTimer.best(runs: runs, warmUp: 1) {
                    try convert(bytes, type: type, count: count, into: output)
                }
            }
            let copy = BenchmarkTimer.best(runs: runs, warmUp: 1) {
                parallelCopy(UnsafeRawPointer(from), into: UnsafeMutableRawPointer(to), bytes: count * 4)
            }
            let out = Double(count * 4)
            results.append(
                Conversion(
                    type: type.name, bytesIn: bytesIn, bytesOut: count * 4, seconds: seconds,
                    gigabytesPerSecond: out / seconds / 1e9, memcpyGigabytesPerSecond: out / copy / 1e9,
                    ofMemcpy: copy / seconds))
            progress(done + 1)
        }
        return results
    }

    /// The loader's own conversion of `count` values of `type`.
    private static func convert(
        _ bytes: UnsafeRawBufferPointer, type: GGMLType, count: Int, into output: UnsafeMutableBufferPointer<Float>
    ) throws {
        if let plain = type.plainDataType, let source = bytes.baseAddress, let out = output.baseAddress {
            FloatConversion.convert(source, type: plain, count: count, into: out)
        } else {
            try GGMLDequantizer.dequantize(
                bytes, type: type, elementCount: count,
                into: UnsafeMutableBufferPointer(rebasing: output[0..<count]))
        }
    }

    /// `memcpy` split over every worker thread, as the loader's conversions are.
    static func parallelCopy(_ source: UnsafeRawPointer, into destination: UnsafeMutableRawPointer, bytes: Int) {
        let chunk = 1 << 22
        Parallel.forEachChunk((bytes + chunk - 1) / chunk) { range in
            let start = range.lowerBound * chunk
            let end = min(bytes, range.upperBound * chunk)
            memcpy(destination + start, source + start, end - start)
        }
    }

    /// Loads `text` warm (after reading its files into the page cache) and cold (after dropping them from it).
    static func modelLoads(_ text: String, runs: Int, cold: Bool) throws -> [ModelLoad] {
        let reference = try ModelReference(parsing: text)
        let files = weightFiles(reference.path)
        let fileBytes = files.reduce(0) { $0 + ((try? fileSize($1)) ?? 0) }
        var results: [ModelLoad] = []
        let spec =
            reference.kind == .ggufFile
            ? try ModelLoader.spec(gguf: try GGUFFile(path: reference.path))
            : try ArchitectureSpec(configFile: reference.path)
        let weightBytes = MemoryPlan(spec: spec).inMemoryWeightBytes
        func timedLoad() throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try LoadedCheckpoint.load(reference)
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        // A memcpy of 1 GiB (not of the whole weights: two more copies of a model would crowd the page cache out),
        // scaled to the weights' size.
        func memcpySeconds() -> Double {
            let bytes = min(max(weightBytes, 1), 1 << 30)
            let source = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            let destination = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            defer {
                source.deallocate()
                destination.deallocate()
            }
            memset(source, 1, bytes)
            memset(destination, 0, bytes)
            let seconds = BenchmarkTimer.best(runs: 2) { parallelCopy(source, into: destination, bytes: bytes) }
            return seconds * Double(max(weightBytes, 1)) / Double(bytes)
        }
        // Warm: the files in the page cache first.
        let warmRead = try readAll(files)
        let warm = try BenchmarkTimer.best(runs: runs) { _ = try timedLoad() }
        let copy = memcpySeconds()
        results.append(
            ModelLoad(
                model: text, cache: "warm", fileBytes: fileBytes, weightBytes: weightBytes, loadSeconds: warm,
                readSeconds: warmRead, memcpySeconds: copy, dropped: nil))
        guard cold else { return results }
        var method = try dropCaches(files)
        let coldRead = try readAll(files)
        var coldLoad = Double.infinity
        for _ in 0..<runs {
            method = try dropCaches(files)
            coldLoad = min(coldLoad, try timedLoad())
        }
        results.append(
            ModelLoad(
                model: text, cache: "cold", fileBytes: fileBytes, weightBytes: weightBytes, loadSeconds: coldLoad,
                readSeconds: coldRead, memcpySeconds: copy, dropped: method))
        return results
    }

    /// The files that hold a model's weights: the GGUF file, or every `.safetensors` file of a checkpoint folder.
    static func weightFiles(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".safetensors") }.sorted().map { path + "/" + $0 }
    }

    /// The size of the file at `path`, following symbolic links.
    private static func fileSize(_ path: String) throws -> Int {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Reads every file once with `read(2)` into a 16 MiB buffer, one reader per file in turn; seconds.
    static func readAll(_ files: [String]) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 16 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        for path in files {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw DriftError(.io, "cannot open the file", path: path) }
            defer { close(descriptor) }
            _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
            while read(descriptor, buffer, 16 << 20) > 0 {}
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Empties the page cache of `files` and says how.
    ///
    /// All of it through `/proc/sys/vm/drop_caches` when this process may write there (root), else the files' own
    /// pages with `posix_fadvise(POSIX_FADV_DONTNEED)`; returns which was used.
    static func dropCaches(_ files: [String]) throws -> String {
        sync()
        if let handle = FileHandle(forWritingAtPath: "/proc/sys/vm/drop_caches") {
            defer { try? handle.close() }
            if (try? handle.write(contentsOf: Data("3\n".utf8))) != nil { return "drop_caches" }
        }
        for path in files {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw DriftError(.io, "cannot open the file", path: path) }
            _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_DONTNEED))
            close(descriptor)
        }
        return "posix_fadvise"
    }
}

import DriftCore
import Foundation

/// The tensors of a Hugging Face checkpoint folder: one `model.safetensors`, or shards listed by
/// `model.safetensors.index.json`.
public final class SafetensorsStore: TensorStore {
    /// The name of the shard index file.
    public static let indexFileName = "model.safetensors.index.json"
    /// The name of a single-file checkpoint.
    public static let singleFileName = "model.safetensors"

    /// The folder (or, when opened on a file, the file) this store reads.
    public let path: String
    /// The files, in shard order.
    public let files: [SafetensorsFile]
    /// Every tensor, shard by shard, each shard in file order.
    public let tensors: [TensorInfo]

    private let location: [String: (file: Int, tensor: SafetensorsFile.Tensor)]

    /// Opens the checkpoint at `path`: a folder holding `model.safetensors.index.json` or `model.safetensors` (or a
    /// single other `.safetensors` file), or a `.safetensors` file itself.
    ///
    /// - Throws: ``DriftCore/DriftError`` when no weights are found, a shard is missing, or a file is corrupt.
    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DriftError(.missing, "no such file or folder", path: path)
        }
        let folder = URL(fileURLWithPath: path)
        let shardPaths: [String]
        var weightMap: [String: String] = [:]
        let indexPath = folder.appendingPathComponent(Self.indexFileName).path
        if !isDirectory.boolValue {
            shardPaths = [path]
        } else if FileManager.default.fileExists(atPath: indexPath) {
            (shardPaths, weightMap) = try Self.shardPaths(index: indexPath)
        } else if FileManager.default.fileExists(atPath: folder.appendingPathComponent(Self.singleFileName).path) {
            shardPaths = [folder.appendingPathComponent(Self.singleFileName).path]
        } else {
            let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(".safetensors") }.sorted()
            guard candidates.count == 1 else {
                throw DriftError(
                    .missing,
                    candidates.isEmpty
                        ? "no safetensors weights: neither \(Self.indexFileName) nor \(Self.singleFileName) nor any .safetensors file"
                        : "no \(Self.indexFileName) or \(Self.singleFileName), and several .safetensors files (\(candidates.joined(separator: ", "))); which is the model is ambiguous",
                    path: path)
            }
            shardPaths = [folder.appendingPathComponent(candidates[0]).path]
        }

        var files: [SafetensorsFile] = []
        var tensors: [TensorInfo] = []
        var location: [String: (file: Int, tensor: SafetensorsFile.Tensor)] = [:]
        for shardPath in shardPaths {
            let file = try SafetensorsFile(path: shardPath)
            for tensor in file.tensors {
                if let earlier = location[tensor.name] {
                    throw DriftError(
                        .corruptFile,
                        "tensor '\(tensor.name)' appears in two shards (\(files[earlier.file].path) and this one)",
                        path: shardPath)
                }
                location[tensor.name] = (files.count, tensor)
                tensors.append(tensor.info)
            }
            files.append(file)
        }
        // Every tensor the index lists must be in the shard it names.
        for (tensor, shard) in weightMap.sorted(by: { $0.key < $1.key }) {
            guard let found = location[tensor] else {
                throw DriftError(
                    .missing, "tensor '\(tensor)' listed in \(Self.indexFileName) is in none of the shards",
                    path: folder.appendingPathComponent(shard).path)
            }
            guard files[found.file].path == folder.appendingPathComponent(shard).path else {
                throw DriftError(
                    .corruptFile,
                    "tensor '\(tensor)' is listed in \(Self.indexFileName) under shard '\(shard)' but is stored in another shard",
                    path: files[found.file].path)
            }
        }
        self.files = files
        self.tensors = tensors
        self.location = location
    }

    /// The shard files listed by the index at `indexPath` in name order, each checked to exist, and the weight map
    /// (tensor name → shard file name).
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the index when it is unreadable, or naming a missing shard.
    static func shardPaths(index indexPath: String) throws -> ([String], [String: String]) {
        let root = try JSONValue.read(path: indexPath)
        guard let weightMap = root["weight_map"]?.objectValue else {
            throw DriftError(.corruptFile, "the shard index has no \"weight_map\" object", path: indexPath)
        }
        let folder = URL(fileURLWithPath: indexPath).deletingLastPathComponent()
        var shardNames: Set<String> = []
        var map: [String: String] = [:]
        for (tensor, value) in weightMap {
            guard let shard = value.stringValue, !shard.isEmpty else {
                throw DriftError(
                    .corruptFile, "the shard index maps tensor '\(tensor)' to something that is not a file name",
                    path: indexPath)
            }
            guard !shard.hasPrefix("/"), !shard.split(separator: "/").contains("..") else {
                throw DriftError(
                    .corruptFile, "the shard index names '\(shard)', which lies outside the checkpoint folder",
                    path: indexPath)
            }
            shardNames.insert(shard)
            map[tensor] = shard
        }
        guard !shardNames.isEmpty else {
            throw DriftError(.corruptFile, "the shard index lists no tensors", path: indexPath)
        }
        var paths: [String] = []
        for shard in shardNames.sorted() {
            let shardPath = folder.appendingPathComponent(shard).path
            guard FileManager.default.fileExists(atPath: shardPath) else {
                throw DriftError(
                    .missing, "shard '\(shard)' listed in \(Self.indexFileName) is missing", path: shardPath)
            }
            paths.append(shardPath)
        }
        return (paths, map)
    }

    public func info(_ name: String) -> TensorInfo? {
        location[name]?.tensor.info
    }

    /// The file holding tensor `name` and its entry there, or nil.
    func stored(_ name: String) -> (file: SafetensorsFile, tensor: SafetensorsFile.Tensor)? {
        location[name].map { (files[$0.file], $0.tensor) }
    }

    /// The safetensors dtype of tensor `name` (`F32`, `BF16`, …), or nil when there is no such tensor.
    public func dtype(_ name: String) -> String? {
        location[name]?.tensor.dtype
    }

    public func floats(_ name: String) throws -> [Float] {
        guard let (file, _) = location[name] else {
            throw DriftError(.missing, "no tensor named '\(name)' in the checkpoint", path: path)
        }
        return try files[file].floats(name)
    }

    /// Drops tensor `name`'s mapped pages from the resident set once it has been converted.
    package func releasePages(_ name: String) {
        guard let (file, _) = location[name] else { return }
        files[file].releasePages(name)
    }

    /// Converts tensor `name` to float32 into `destination`, which must hold exactly its element count.
    package func copyFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard let (file, _) = location[name] else {
            throw DriftError(.missing, "no tensor named '\(name)' in the checkpoint", path: path)
        }
        try files[file].copyFloats(name, into: destination)
    }
}

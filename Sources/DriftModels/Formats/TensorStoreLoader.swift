import DriftCore
import Foundation

/// Opens the right ``TensorStore`` for a model path.
public enum TensorStoreLoader {
    /// A ``GGUFStore`` for a GGUF file, a ``SafetensorsStore`` for a checkpoint folder or a `.safetensors` file.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the path when nothing is there or the files are invalid.
    public static func open(path: String) throws -> any TensorStore {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DriftError(.missing, "no such file or folder", path: path)
        }
        if isDirectory.boolValue || path.lowercased().hasSuffix(".safetensors") {
            return try SafetensorsStore(path: path)
        }
        return try GGUFStore(path: path)
    }
}

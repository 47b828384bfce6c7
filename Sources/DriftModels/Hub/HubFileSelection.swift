/// Which files of a Hub repository a model needs: the configuration, the tokenizer files and the safetensors weights
/// — never PyTorch `.bin`/`.pt`, GGUF, ONNX, generation configs or anything in a subfolder.
enum HubFileSelection {
    /// Small files used when present (architecture and tokens; the same set ``ModelFiles`` hashes).
    static let definingFiles = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]

    /// The files to download first, from the repository's file list: the defining files and the shard index.
    static func firstFiles(in files: [String]) -> [String] {
        let present = Set(files)
        return (definingFiles + [SafetensorsStore.indexFileName]).filter(present.contains)
    }

    /// The weight files, as ``SafetensorsStore`` chooses them: the shards named by the index when there is one
    /// (`indexShards`), else `model.safetensors`, else every `.safetensors` file at the top level.
    static func weightFiles(in files: [String], indexShards: [String]?) -> [String] {
        let topLevel = files.filter { !$0.contains("/") && $0.hasSuffix(".safetensors") }
        if let indexShards { return Array(Set(indexShards)).sorted() }
        if topLevel.contains(SafetensorsStore.singleFileName) { return [SafetensorsStore.singleFileName] }
        return topLevel.sorted()
    }
}

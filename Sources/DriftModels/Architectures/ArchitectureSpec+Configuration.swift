import DriftCore
import Foundation

extension ArchitectureSpec {
    /// The runtime's view of a parsed configuration: the common fields here, then the family's own choices (norms,
    /// biases, scales, windows, experts) from its ``ArchitectureFamily/configure(_:from:reader:)``.
    ///
    /// - Parameters:
    ///   - configuration: the parsed configuration (``ModelConfiguration``, from `config.json` or GGUF metadata).
    ///   - path: the file named in errors.
    /// - Throws: ``DriftCore/DriftError`` for an option this runtime does not implement (an unknown activation or rope
    ///   type, GPT-2's layer-index scaling), naming the supported ones, or settings that contradict each other.
    public init(configuration c: ModelConfiguration, path: String? = nil) throws {
        let layers = c.layerCount
        let activation = try Self.activation(c.activation, path: path)
        self.init(
            architecture: c.architecture, modelType: c.architecture.rawValue, hiddenSize: c.hiddenSize,
            layerCount: layers, headCount: c.attentionHeadCount, keyValueHeadCount: c.keyValueHeadCount,
            headDimension: c.headDim, intermediateSize: c.intermediateSize, vocabularySize: c.vocabularySize,
            norm: .rms, normEpsilon: Float(c.normEpsilon), residual: .sequential, hasPreNorms: true,
            hasPostAttentionNorm: false, hasPostFeedForwardNorm: false, hasFinalNorm: true, hasEmbeddingNorm: false,
            queryKeyValueBias: c.attentionBias, outputBias: c.attentionBias, mlpBias: c.mlpBias, queryKeyNorm: .none,
            clipQueryKeyValue: c.clipQKV.map { Float($0) },
            attentionScale: Float(1 / Double(c.headDim).squareRoot()), attentionLogitSoftcap: nil, causal: true,
            layerRopes: [], layerWindows: Array(repeating: nil, count: layers), activation: activation,
            gatedMLP: true, experts: nil, embeddingScale: nil, residualScale: nil, outputSoftcap: nil,
            outputDivisor: nil, learnedPositions: nil, tokenTypes: nil)

        if c.architecture.usesRotaryPositions {
            layerRopes = try (0..<layers).map { layer in
                guard let rope = c.rope(forLayer: layer) else {
                    throw DriftError(.corruptFile, "no rotary embedding parameters for layer \(layer)", path: path)
                }
                return try Self.rope(rope, headDim: c.headDim, path: path)
            }
        } else {
            layerRopes = Array(repeating: nil, count: layers)
        }
        if let window = c.slidingWindow {
            layerWindows = (0..<layers).map { layer in
                layer < c.layerTypes.count && c.layerTypes[layer] == "sliding_attention" ? window : nil
            }
        }
        try c.architecture.family.configure(
            &self, from: c, reader: ConfigurationReader(object: c.raw, path: path))
        try validate(path: path)
    }

    /// Reads and parses the `config.json` in `folder` (or the file itself).
    ///
    /// - Throws: ``DriftCore/DriftError`` as ``ModelConfiguration/init(path:)`` and ``init(configuration:path:)``.
    public init(configFile path: String) throws {
        var isDirectory: ObjCBool = false
        let folder = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        let file = folder ? URL(fileURLWithPath: path).appendingPathComponent("config.json").path : path
        try self.init(configuration: try ModelConfiguration(path: path), path: file)
    }

    private func validate(path: String?) throws {
        for rope in layerRopes {
            if let rope,
                rope.rotaryDimensions % 2 != 0 || rope.rotaryDimensions > headDimension || rope.rotaryDimensions <= 0
            {
                throw DriftError(
                    .corruptFile,
                    "rotary dimensions \(rope.rotaryDimensions) must be even, positive and at most the head dimension \(headDimension)",
                    path: path)
            }
        }
        for window in layerWindows {
            if let window, window <= 0 {
                throw DriftError(.corruptFile, "sliding_window \(window) must be positive", path: path)
            }
        }
    }

    private static func activation(_ name: String, path: String?) throws -> Activation {
        switch name {
        case "silu", "swish": return .silu
        case "gelu": return .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": return .geluTanh
        case "relu": return .relu
        default:
            throw DriftError(
                .unsupported,
                "activation '\(name)' is not supported; supported: silu, gelu, gelu_new, gelu_pytorch_tanh, relu",
                path: path)
        }
    }

    private static func rope(_ rope: ModelConfiguration.RopeParameters, headDim: Int, path: String?) throws -> Rope {
        let scaling: RopeScaling
        switch rope.scaling {
        case .none:
            scaling = .none
        case .linear(let factor):
            scaling = .linear(factor: factor)
        case .llama3(let factor, let low, let high, let original):
            scaling = .llama3(
                factor: factor, lowFrequencyFactor: low, highFrequencyFactor: high, originalContext: Double(original))
        case .longrope(let short, let long, let attention, let original):
            let half = Int(Double(headDim) * rope.partialRotaryFactor) / 2
            guard short.count == half, long.count == half else {
                throw DriftError(
                    .corruptFile,
                    "longrope short_factor and long_factor need \(half) values each (half the rotary dimensions); found \(short.count) and \(long.count)",
                    path: path)
            }
            scaling = .longrope(
                shortFactors: short.map { Float($0) }, longFactors: long.map { Float($0) },
                attentionFactor: attention, originalContext: original)
        case .yarn(let factor, let fast, let slow, let original, let truncate, let attention):
            scaling = .yarn(
                factor: factor, betaFast: fast, betaSlow: slow, originalContext: original, truncate: truncate,
                attentionFactor: attention)
        case .unsupported(let type):
            throw DriftError(
                .unsupported,
                "rope type '\(type)' is not supported; supported: default, linear, llama3, longrope, yarn",
                path: path)
        }
        // transformers: int(head_dim * partial_rotary_factor)
        return Rope(
            theta: rope.theta, scaling: scaling, rotaryDimensions: Int(Double(headDim) * rope.partialRotaryFactor))
    }
}

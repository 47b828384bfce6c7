import Foundation
import Yams

/// libFuzzer target: an experiment file — the size and nesting pre-scan (ExperimentFileLimits, the same source file
/// as the command line's, linked here), then, when it passes, the YAML parser the experiment parser runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExperimentYAML(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let text = String(data: Data(bytes: start, count: count), encoding: .utf8) else { return 0 }
    guard (try? ExperimentFileLimits.check(text, path: "experiment.yaml")) != nil else { return 0 }
    _ = try? Yams.compose(yaml: text)
    return 0
}

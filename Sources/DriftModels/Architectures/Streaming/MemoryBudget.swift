import DriftCore
import Foundation

#if canImport(Darwin)
    import Darwin
#endif

/// How much memory a model run may use, in bytes; decides between the in-memory and the layer-streaming execution.
///
/// The default is a safe share (70 %) of the machine's physical memory, read from `/proc/meminfo` on Linux and
/// `sysctl hw.memsize` on macOS.
public struct MemoryBudget: Sendable, Equatable, CustomStringConvertible {
    /// The budget in bytes.
    public var bytes: Int
    /// An execution mode that overrides the automatic choice (tests and benchmarks), or nil to choose by size.
    public var forcedMode: ModelLoader.ExecutionMode?

    /// The share of physical memory the default budget takes.
    public static let defaultShare = 0.7

    /// A budget of `bytes` bytes.
    public init(bytes: Int, forcedMode: ModelLoader.ExecutionMode? = nil) {
        self.bytes = bytes
        self.forcedMode = forcedMode
    }

    /// Parses a size: a number of bytes, or a number with a binary unit `K`, `M`, `G`, `T` (also written `KB`, `KiB`,
    /// …; all are powers of 1024), such as `4G`, `1.5GiB` or `512M`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) for anything else, or a size below one byte.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        var unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where unit.hasSuffix(suffix) && unit.count > suffix.count - 1 {
            unit = String(unit.dropLast(suffix.count))
            break
        }
        let multipliers: [String: Double] = ["": 1, "K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        guard let value = Double(digits), let multiplier = multipliers[unit], value.isFinite,
            value * multiplier >= 1, value * multiplier < 0x1p62
        else {
            throw DriftError(
                .invalidArgument,
                "'\(text)' is not a memory size; write bytes or a number with K, M, G or T (powers of 1024), e.g. 8G")
        }
        bytes = Int(value * multiplier)
        forcedMode = nil
    }

    /// The default budget: ``defaultShare`` of physical memory (8 GiB when it cannot be read).
    public static var automatic: MemoryBudget {
        let physical = physicalMemoryBytes() ?? 8 << 30
        return MemoryBudget(bytes: Int(Double(physical) * defaultShare))
    }

    /// The machine's physical memory in bytes, or nil when it cannot be read.
    public static func physicalMemoryBytes() -> Int? {
        #if os(Linux)
            if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") })
            {
                let fields = line.split(separator: " ")
                if fields.count >= 2, let kilobytes = Int(fields[1]), kilobytes > 0 { return kilobytes * 1024 }
            }
            return nil
        #elseif canImport(Darwin)
            var size: UInt64 = 0
            var length = MemoryLayout<UInt64>.size
            guard sysctlbyname("hw.memsize", &size, &length, nil, 0) == 0, size > 0 else { return nil }
            return Int(size)
        #else
            let physical = ProcessInfo.processInfo.physicalMemory
            return physical > 0 ? Int(physical) : nil
        #endif
    }

    /// The budget for people: `3.50 GiB`.
    public var description: String { Self.format(bytes) }

    /// A byte count for people, in MiB below 1 GiB and GiB above: `512.0 MiB`, `3.50 GiB`.
    public static func format(_ bytes: Int) -> String {
        let value = Double(bytes)
        if value >= 0x1p30 { return String(format: "%.2f GiB", value / 0x1p30) }
        return String(format: "%.1f MiB", value / 0x1p20)
    }
}

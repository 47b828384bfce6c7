import CKernels
import Foundation

/// The SHA-256 of a whole file, read in 4 MiB pieces through the C implementation in `CKernels` (the same digest as
/// ``SHA256``, fast enough in debug builds to verify multi-gigabyte downloads).
public enum FileSHA256 {
    /// The lowercase hexadecimal SHA-256 of the file at `url`.
    ///
    /// - Throws: ``DriftError`` (`.io`) naming the file when it cannot be read.
    public static func hexDigest(of url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw DriftError(.io, "cannot read the file to hash it", path: url.path)
        }
        defer { try? handle.close() }
        var context = ck_sha256_context()
        ck_sha256_init(&context)
        do {
            while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
                chunk.withUnsafeBytes { ck_sha256_update(&context, $0.baseAddress, $0.count) }
            }
        } catch {
            throw DriftError(.io, "cannot read the file to hash it: \(error.localizedDescription)", path: url.path)
        }
        return hex(&context)
    }

    /// The lowercase hexadecimal SHA-256 of `data`.
    public static func hexDigest(of data: Data) -> String {
        var context = ck_sha256_context()
        ck_sha256_init(&context)
        data.withUnsafeBytes { ck_sha256_update(&context, $0.baseAddress, $0.count) }
        return hex(&context)
    }

    private static func hex(_ context: inout ck_sha256_context) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        ck_sha256_final(&context, &digest)
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }
}

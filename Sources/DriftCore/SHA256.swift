import CKernels
public import Foundation

/// SHA-256 (FIPS 180-4), incremental: feed bytes with ``update(_:)``, read the digest with ``finalize()``.
///
/// Used for fingerprints of model files, vocabularies and settings (a variant whose fingerprint matches is never
/// extracted twice) and to verify downloads. Swift on Linux has no CryptoKit; the compression runs in C
/// (`CKernels/ck_sha256.c`), fast even in debug builds, and is checked against Python's `hashlib`.
public struct SHA256: Sendable {
    private var context = ck_sha256_context()

    /// A hasher with no input yet.
    public init() {
        ck_sha256_init(&context)
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(buffer: UnsafeRawBufferPointer(buffer))
        }
        if handled != nil { return }
        Array(bytes).withUnsafeBytes { update(buffer: $0) }
    }

    /// Adds the bytes of `buffer` to the message.
    public mutating func update(buffer: UnsafeRawBufferPointer) {
        guard buffer.count > 0 else { return }
        ck_sha256_update(&context, buffer.baseAddress, buffer.count)
    }

    /// Adds `data` to the message.
    public mutating func update(data: Data) {
        data.withUnsafeBytes { update(buffer: $0) }
    }

    /// Adds the UTF-8 bytes of `text` to the message.
    public mutating func update(text: String) {
        update(Array(text.utf8))
    }

    /// The 32-byte digest of everything added so far (the hasher is consumed).
    public consuming func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        ck_sha256_final(&context, &digest)
        return digest
    }

    /// The digest as 64 lowercase hexadecimal characters.
    public consuming func hexDigest() -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: finalize().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// The hexadecimal SHA-256 of `bytes`.
    public static func hex(of bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.hexDigest()
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hints to the kernel about file mappings a loader is about to read or has finished reading: read-ahead on the
/// files, mapped pages dropped once converted.
///
/// Transparent huge pages (`MADV_HUGEPAGE`) for the float32 copies were measured and left out: with the kernel's
/// default `defrag=madvise` every huge-page fault may compact memory directly, and on a machine whose memory is full
/// of page cache copying a 4.95 GB file took 3.5× longer than with ordinary pages (21.6–24.2 s against 5.9–7.5 s).
///
/// Every hint is advisory: when the kernel declines one, nothing changes but speed.
package enum MemoryAdvice {
    /// The system page size in bytes.
    package static let pageSize: Int = {
        let size = Int(sysconf(Int32(_SC_PAGESIZE)))
        return size > 0 ? size : 4096
    }()

    /// Starts reading the file pages behind `buffer` (a read-only file mapping) ahead of use.
    package static func willNeed(_ buffer: UnsafeRawBufferPointer) {
        advise(UnsafeMutableRawBufferPointer(mutating: buffer), Int32(MADV_WILLNEED))
    }

    /// Drops the whole pages inside `buffer` (a private read-only file mapping) from the resident set; the page
    /// cache keeps them, and a later read faults them back in.
    package static func release(_ buffer: UnsafeRawBufferPointer) {
        advise(UnsafeMutableRawBufferPointer(mutating: buffer), Int32(MADV_DONTNEED))
    }

    /// Maps the file pages behind `buffer` (a read-only file mapping) into the process's page tables now.
    ///
    /// Reads any that are not cached, in 8 MiB pieces spread over ``Parallel``'s workers (so every worker gets a share
    /// of a single tensor): weights used in place then run without a page fault per 64 KiB on first use. Returns
    /// false where the kernel cannot (before Linux 5.14, or not Linux); the pages then fault in as they are first
    /// read, after read-ahead has been started.
    @discardableResult
    package static func populate(_ buffer: UnsafeRawBufferPointer) -> Bool {
        #if os(Linux)
            let chunkBytes = 8 << 20
            let chunks = (buffer.count + chunkBytes - 1) / chunkBytes
            let mutable = UnsafeMutableRawBufferPointer(mutating: buffer)
            var results = [Int32](repeating: 0, count: chunks)
            results.withUnsafeMutableBufferPointer { results in
                guard let base = results.baseAddress else { return }
                let output = UncheckedPointer(base)
                Parallel.forEach(chunks) { chunk in
                    let start = chunk * chunkBytes
                    let part = UnsafeMutableRawBufferPointer(
                        rebasing: mutable[start..<min(buffer.count, start + chunkBytes)])
                    output.pointer[chunk] = advise(part, populateRead)
                }
            }
            if results.allSatisfy({ $0 == 0 }) { return true }
        #endif
        willNeed(buffer)
        return false
    }

    #if os(Linux)
        /// `MADV_POPULATE_READ` (Linux 5.14), spelled out for C libraries whose headers predate it.
        private static let populateRead: Int32 = 22
    #endif

    /// `madvise` over the whole pages inside `buffer` (nothing when it holds no whole page).
    ///
    /// Returns `madvise`'s result: 0, or -1 when the kernel declined.
    @discardableResult
    private static func advise(_ buffer: UnsafeMutableRawBufferPointer, _ advice: Int32) -> Int32 {
        guard let base = buffer.baseAddress else { return 0 }
        let address = Int(bitPattern: base)
        let start = (address + pageSize - 1) / pageSize * pageSize
        let end = (address + buffer.count) / pageSize * pageSize
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return 0 }
        return madvise(pointer, end - start, advice)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hints to the kernel about memory a loader is about to fill or has finished reading, so that weights load at memory
/// speed: fewer page faults on the float32 copies, read-ahead on the files, mapped pages dropped once converted.
///
/// Every hint is advisory: when the kernel declines one (no transparent huge pages, another system), nothing changes
/// but speed.
package enum MemoryAdvice {
    /// Buffers smaller than this are left to the allocator (a huge page is 2 MiB on x86-64).
    package static let hugePageThreshold = 4 << 20

    /// The system page size in bytes.
    package static let pageSize: Int = {
        let size = Int(sysconf(Int32(_SC_PAGESIZE)))
        return size > 0 ? size : 4096
    }()

    /// Asks for transparent huge pages on the whole pages inside `buffer`, which is about to be written for the first
    /// time: one fault per 2 MiB instead of one per 4 KiB (Linux with THP in `madvise` or `always` mode).
    package static func hugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
            guard buffer.count >= hugePageThreshold else { return }
            advise(buffer, Int32(MADV_HUGEPAGE))
        #endif
    }

    /// Starts reading the file pages behind `buffer` (a read-only file mapping) ahead of use.
    package static func willNeed(_ buffer: UnsafeRawBufferPointer) {
        advise(UnsafeMutableRawBufferPointer(mutating: buffer), Int32(MADV_WILLNEED))
    }

    /// Drops the whole pages inside `buffer` (a private read-only file mapping) from the resident set; the page
    /// cache keeps them, and a later read faults them back in.
    package static func release(_ buffer: UnsafeRawBufferPointer) {
        advise(UnsafeMutableRawBufferPointer(mutating: buffer), Int32(MADV_DONTNEED))
    }

    /// `madvise` over the whole pages inside `buffer` (nothing when it holds no whole page).
    private static func advise(_ buffer: UnsafeMutableRawBufferPointer, _ advice: Int32) {
        guard let base = buffer.baseAddress else { return }
        let address = Int(bitPattern: base)
        let start = (address + pageSize - 1) / pageSize * pageSize
        let end = (address + buffer.count) / pageSize * pageSize
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, advice)
    }
}

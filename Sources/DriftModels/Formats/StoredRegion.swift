/// A tensor's bytes in a mapped file.
package struct StoredRegion {
    /// The file (kept alive by whoever holds the region).
    package let file: MappedFile
    /// Byte offset in the file.
    package let offset: Int
    /// Byte count.
    package let bytes: Int
}

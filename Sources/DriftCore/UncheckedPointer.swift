/// A mutable pointer carried into ``Parallel`` closures that write disjoint parts of its memory.
///
/// Safe because every parallel use writes disjoint index ranges while the owning buffer outlives the call.
package struct UncheckedPointer<Element>: @unchecked Sendable {
    package let pointer: UnsafeMutablePointer<Element>
    package init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
}

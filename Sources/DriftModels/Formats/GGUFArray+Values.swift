extension GGUFArray {
    /// The elements as booleans (a `BOOL` array), else nil.
    public var booleans: [Bool]? {
        if case .bool(let v) = self { return v }
        return nil
    }
}

/// The tool's version, recorded in every manifest.
enum ToolVersion {
    static let current = "0.1.0"
}

/// `stream` or `non-stream`: how users write and read a mode (`glmwb eval --modes`, column
/// labels, `--json`); the raw value `non_stream` is the log's spelling and stays so.
extension RunMode {
    public var label: String { self == .stream ? "stream" : "non-stream" }

    public init?(label: String) {
        switch label {
        case "stream": self = .stream
        case "non-stream": self = .nonStream
        default: return nil
        }
    }
}

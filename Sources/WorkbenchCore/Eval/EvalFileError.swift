/// One problem in a cases file (or an `--assert` string), precise enough to fix without
/// guessing: which file, which line, what is wrong and what to do about it.
public struct EvalFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var message: String
    public var fix: String?

    public init(path: String, line: Int?, message: String, fix: String? = nil) {
        self.path = path
        self.line = line
        self.message = message
        self.fix = fix
    }

    /// `file:line: message (fix: …)`, the compiler-style prefix editors jump to.
    public var description: String {
        path + (line.map { ":\($0)" } ?? "") + ": " + message + (fix.map { " (fix: \($0))" } ?? "")
    }
}

/// Every problem found in a cases file, in file order. A file is read to its end before it is
/// refused, so a user fixes all of its mistakes in one pass instead of one per run.
public struct EvalFileErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [EvalFileError]

    public init(_ errors: [EvalFileError]) { self.errors = errors }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

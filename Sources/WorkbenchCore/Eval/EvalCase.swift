/// One input an evaluation runs its template on: the template's variables, an ideal answer to
/// show beside the output, the assertions that judge the output, and results for tools that
/// cannot run unattended (`manual` tools). The same keys in YAML, JSONL and (partly) CSV.
public struct EvalCase: Sendable, Equatable {
    /// Unique within its file; what `--filter` matches and what rows, JSON and diffs are keyed by.
    public var name: String
    /// Template variables, as text (`3` in YAML is the text "3", as in templates).
    public var vars: [String: String]
    /// An ideal answer, shown beside the output; it is not checked unless an assertion says so.
    public var expected: String?
    /// The file's `defaults.assert` first, then the case's own, then any `--assert`.
    public var assertions: [EvalAssertion]
    /// `tool_results:` tool name → the result text to give when the model calls it, for tools
    /// the evaluation cannot run itself (a `manual` tool without one makes the cell an error).
    public var toolResults: [String: String]
    /// The line the case starts on in its file (nil for cases built in code).
    public var line: Int?

    public init(name: String, vars: [String: String] = [:], expected: String? = nil, assertions: [EvalAssertion] = [],
                toolResults: [String: String] = [:], line: Int? = nil) {
        self.name = name
        self.vars = vars
        self.expected = expected
        self.assertions = assertions
        self.toolResults = toolResults
        self.line = line
    }
}

/// The cases read from one file, in file order.
public struct EvalCaseSet: Sendable, Equatable {
    /// The file they came from.
    public var path: String
    public var cases: [EvalCase]

    public init(path: String, cases: [EvalCase]) {
        self.path = path
        self.cases = cases
    }

    /// Every case with `extra` appended to its assertions: how `--assert` reaches CSV and JSONL
    /// cases, which cannot carry `defaults:`.
    public func addingToEveryCase(_ extra: [EvalAssertion]) -> EvalCaseSet {
        guard !extra.isEmpty else { return self }
        var copy = self
        for i in copy.cases.indices { copy.cases[i].assertions += extra }
        return copy
    }

    /// The cases whose names match `filter`, in file order.
    public func filtered(by filter: EvalCaseFilter) -> EvalCaseSet {
        EvalCaseSet(path: path, cases: cases.filter { filter.matches($0.name) })
    }
}

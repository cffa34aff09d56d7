/// A problem with a template or tools file, precise enough to fix without guessing: which
/// template, which file and line, which field, what is wrong and what to do about it.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var template: String
    public var path: String
    public var line: Int?
    public var field: String?
    public var message: String
    public var fix: String?

    public init(template: String, path: String, line: Int? = nil, field: String? = nil, message: String, fix: String? = nil) {
        self.template = template
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        self.fix = fix
    }

    /// `file:line: template NAME, field F: message (fix: …)` — the compiler-style first part lets
    /// editors jump to the spot.
    public var description: String {
        var s = path + (line.map { ":\($0)" } ?? "") + ": template \(template)"
        if let field { s += ", field `\(field)`" }
        s += ": " + message
        if let fix { s += " (fix: \(fix))" }
        return s
    }
}

/// Every problem found in one template file, in file order (never empty): a broken template is
/// fixed in one pass, not one error per save.
public struct TemplateErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [TemplateError]

    public init(_ errors: [TemplateError]) {
        precondition(!errors.isEmpty, "TemplateErrors holds at least one error")
        self.errors = errors
    }

    public var first: TemplateError { errors[0] }

    /// One `file:line: …` line per error.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

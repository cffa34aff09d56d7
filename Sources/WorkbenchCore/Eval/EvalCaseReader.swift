/// Reads cases out of the tree shared by YAML and JSONL, and checks what spans cases (unique
/// names). Every problem is collected; nothing stops at the first.
struct EvalCaseReader {
    var path: String
    var assertions: EvalAssertionParser

    static let caseKeys = ["name", "vars", "expected", "assert", "tool_results"]

    init(path: String, baseDirectory: String) {
        self.path = path
        assertions = EvalAssertionParser(path: path, baseDirectory: baseDirectory)
    }

    /// One case. `index` (1-based) names a case that has no name; `defaults` come first. A case
    /// with errors is still returned, so checks across cases (unique names) see it; the errors
    /// refuse the file.
    func readCase(_ node: EvalSyntax, index: Int, defaults: EvalCaseDefaults, errors: inout [EvalFileError]) -> EvalCase? {
        guard let pairs = node.pairs else {
            errors.append(error(node.line, "a case is a mapping (name, vars, expected, assert, tool_results), got \(node.described)"))
            return nil
        }
        var c = EvalCase(name: "case-\(index)", vars: defaults.vars, assertions: defaults.assertions, line: node.line)
        for p in pairs {
            switch p.key {
            case "name":
                if let s = p.value.scalar, s.kind != .null, !s.text.trimmingCharacters(in: .whitespaces).isEmpty {
                    c.name = s.text
                } else {
                    errors.append(error(p.line, "`name` must be non-empty text, got \(p.value.described)"))
                }
            case "vars":
                c.vars.merge(textMap(p.value, field: "vars", errors: &errors)) { $1 }
            case "expected":
                if let s = p.value.scalar { c.expected = s.kind == .null ? nil : s.text }
                else { errors.append(error(p.line, "`expected` is the ideal answer as text, got \(p.value.described)")) }
            case "assert":
                c.assertions += assertions.list(p.value, errors: &errors)
            case "tool_results":
                c.toolResults = textMap(p.value, field: "tool_results", jsonForStructures: true, errors: &errors)
            default:
                errors.append(unknownKey(p.key, line: p.line, known: Self.caseKeys, what: "case"))
            }
        }
        return c
    }

    /// `defaults:`: `assert` (added before every case's own) and `vars` (a case's own win).
    func readDefaults(_ node: EvalSyntax, errors: inout [EvalFileError]) -> EvalCaseDefaults {
        var d = EvalCaseDefaults()
        guard let pairs = node.pairs else {
            errors.append(error(node.line, "`defaults` is a mapping with `assert` and/or `vars`, got \(node.described)"))
            return d
        }
        for p in pairs {
            switch p.key {
            case "assert": d.assertions = assertions.list(p.value, errors: &errors)
            case "vars": d.vars = textMap(p.value, field: "defaults.vars", errors: &errors)
            default: errors.append(unknownKey(p.key, line: p.line, known: ["assert", "vars"], what: "defaults"))
            }
        }
        return d
    }

    /// Duplicate names are refused: results, diffs and `--filter` are keyed by name.
    func checkUniqueNames(_ cases: [EvalCase], errors: inout [EvalFileError]) {
        var seen: [String: Int?] = [:]
        for c in cases {
            if let first = seen[c.name] {
                errors.append(error(c.line, "two cases are named \(c.name)" + (first.map { " (the first is on line \($0))" } ?? ""),
                                    fix: "give every case its own name"))
            } else {
                seen[c.name] = c.line
            }
        }
    }

    /// A mapping of names to text. Tool results may be structured: they are given to the model as
    /// JSON text, so a mapping there is written out as canonical JSON.
    private func textMap(_ node: EvalSyntax, field: String, jsonForStructures: Bool = false, errors: inout [EvalFileError]) -> [String: String] {
        guard let pairs = node.pairs else {
            errors.append(error(node.line, "`\(field)` is a mapping of names to values, got \(node.described)", fix: "e.g. `\(field): {question: \"How long is the warranty?\"}`"))
            return [:]
        }
        var out: [String: String] = [:]
        for p in pairs {
            if let s = p.value.scalar {
                out[p.key] = s.kind == .null ? "" : s.text
            } else if jsonForStructures {
                out[p.key] = p.value.json.canonicalText
            } else {
                errors.append(error(p.line, "`\(field).\(p.key)` must be text, got \(p.value.described)", fix: "write lists and tables into the text, e.g. with a YAML block `|`"))
            }
        }
        return out
    }

    func unknownKey(_ key: String, line: Int?, known: [String], what: String) -> EvalFileError {
        let close = known.filter { editDistance($0, key) <= 2 }
        return error(line, "unknown \(what) key `\(key)`", fix: close.isEmpty ? "use \(known.joined(separator: ", "))" : "did you mean \(close.joined(separator: " or "))?")
    }

    func error(_ line: Int?, _ message: String, fix: String? = nil) -> EvalFileError {
        EvalFileError(path: path, line: line, message: message, fix: fix)
    }
}

/// What a YAML file's `defaults:` gives every case.
struct EvalCaseDefaults {
    var assertions: [EvalAssertion] = []
    var vars: [String: String] = [:]
}

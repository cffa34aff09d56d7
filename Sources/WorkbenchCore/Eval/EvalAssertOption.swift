import Foundation

/// `--assert YAML` (repeatable): assertions added to every case, written in YAML flow style as
/// in a cases file — `{contains: "[1]"}`, `is-json`, or a list `[is-json, {max-cost: 0.001}]`.
/// Errors name the option and its position, as file errors name a line.
public enum EvalAssertOption {
    /// Each string's assertions, in order. `baseDirectory` resolves `json-schema` file paths
    /// (the working directory, for a flag).
    public static func parse(_ options: [String], baseDirectory: String = FileManager.default.currentDirectoryPath) throws(EvalFileErrors) -> [EvalAssertion] {
        var errors: [EvalFileError] = []
        var out: [EvalAssertion] = []
        for (i, text) in options.enumerated() {
            let label = options.count == 1 ? "--assert" : "--assert #\(i + 1)"
            let parser = EvalAssertionParser(path: label, baseDirectory: baseDirectory)
            do {
                guard let node = try YAMLDocument.compose(text) else {
                    errors.append(EvalFileError(path: label, line: nil, message: "is empty", fix: "e.g. --assert '{contains: \"[1]\"}'"))
                    continue
                }
                // Lines mean nothing on a command line: errors name the option instead.
                var tree = EvalSyntax(yaml: node)
                tree.clearLines()
                out += parser.list(tree, errors: &errors)
            } catch {
                errors.append(EvalFileError(path: label, line: nil, message: "is not YAML: \(error.message)", fix: "quote it for the shell, e.g. --assert '{contains: \"[1]\"}'"))
            }
        }
        guard errors.isEmpty else { throw EvalFileErrors(errors) }
        return out
    }
}

extension EvalSyntax {
    mutating func clearLines() {
        line = nil
        switch value {
        case .scalar: break
        case .list(var l):
            for i in l.indices { l[i].clearLines() }
            value = .list(l)
        case .map(let p):
            value = .map(p.map { pair in
                var v = pair.value
                v.clearLines()
                return Pair(key: pair.key, value: v, line: nil)
            })
        }
    }
}

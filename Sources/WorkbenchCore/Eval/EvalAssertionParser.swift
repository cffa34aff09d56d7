import Foundation

/// Reads assertions from a cases file's tree: a one-key map (`- contains: "[1]"`), optionally
/// with `not: true` beside the key, or a bare name for checks without an argument (`- is-json`,
/// `- no-tool-call`, also written `- is-json: true`). Every argument is checked here, where
/// the line is known (a regex compiles, a schema file exists and its patterns are valid, a
/// JSONPath parses), so a run never starts with an assertion that cannot be evaluated.
struct EvalAssertionParser {
    /// The file the assertions are in, for errors.
    var path: String
    /// The folder a `json-schema: FILE` is relative to.
    var baseDirectory: String

    /// A list of assertions; every bad item is reported, the good ones kept.
    func list(_ node: EvalSyntax, errors: inout [EvalFileError]) -> [EvalAssertion] {
        guard let items = node.items else {
            // One assertion written without the list dash is a common slip; accept it.
            if node.pairs != nil || node.scalar?.kind == .string { return one(node, errors: &errors).map { [$0] } ?? [] }
            errors.append(error(node.line, "`assert` must be a list of assertions", fix: "write each on its own line starting with `- `, e.g. `- contains: \"[1]\"`"))
            return []
        }
        return items.compactMap { one($0, errors: &errors) }
    }

    /// One assertion, or nil with the problem appended to `errors`.
    func one(_ node: EvalSyntax, errors: inout [EvalFileError]) -> EvalAssertion? {
        do { return try parse(node) } catch {
            errors.append(error)
            return nil
        }
    }

    func parse(_ node: EvalSyntax) throws(EvalFileError) -> EvalAssertion {
        if let (text, kind) = node.scalar {
            guard kind == .string else { throw error(node.line, "expected an assertion, got \(node.described)", fix: exampleFix) }
            return EvalAssertion(try bare(text, line: node.line), line: node.line)
        }
        guard let pairs = node.pairs else { throw error(node.line, "expected an assertion (a one-key map), got a list", fix: exampleFix) }
        var negated = false
        var found: EvalSyntax.Pair?
        for pair in pairs {
            if pair.key == "not" {
                guard let s = pair.value.scalar, s.kind == .bool else { throw error(pair.line, "`not` takes true or false") }
                negated = pair.value.json == .bool(true)
            } else if EvalAssertion.Check.allTypes.contains(pair.key) {
                if let first = found { throw error(pair.line, "one assertion per list item: `\(first.key)` and `\(pair.key)` are both here", fix: "put `- \(pair.key): …` on its own line") }
                found = pair
            } else {
                throw unknownType(pair.key, line: pair.line)
            }
        }
        guard let found else { throw error(node.line, "`not` alone is not an assertion", fix: exampleFix) }
        return EvalAssertion(try check(found.key, found.value, line: found.line ?? node.line), negated: negated, line: found.line ?? node.line)
    }

    private var exampleFix: String { "write e.g. `- contains: \"[1]\"` or `- is-json`" }

    private func bare(_ name: String, line: Int?) throws(EvalFileError) -> EvalAssertion.Check {
        switch name {
        case "is-json": return .isJSON
        case "no-tool-call": return .noToolCall
        default:
            guard EvalAssertion.Check.allTypes.contains(name) else { throw unknownType(name, line: line) }
            throw error(line, "`\(name)` needs an argument", fix: "write `- \(name): …`")
        }
    }

    private func unknownType(_ name: String, line: Int?) -> EvalFileError {
        let close = EvalAssertion.Check.allTypes.filter { $0.contains(name) || name.contains($0) || editDistance($0, name) <= 2 }
        return error(line, "unknown assertion type `\(name)`",
                     fix: close.isEmpty ? "use one of \(EvalAssertion.Check.allTypes.joined(separator: ", "))" : "did you mean \(close.joined(separator: " or "))?")
    }

    // MARK: Arguments

    private func check(_ key: String, _ v: EvalSyntax, line: Int?) throws(EvalFileError) -> EvalAssertion.Check {
        switch key {
        case "equals": return .equals(try text(v, key))
        case "contains": return .contains(try nonEmptyText(v, key))
        case "icontains": return .icontains(try nonEmptyText(v, key))
        case "not-contains": return .notContains(try nonEmptyText(v, key))
        case "contains-any": return .containsAny(try texts(v, key))
        case "contains-all": return .containsAll(try texts(v, key))
        case "starts-with": return .startsWith(try nonEmptyText(v, key))
        case "regex":
            let pattern = try nonEmptyText(v, key)
            do { _ = try NSRegularExpression(pattern: pattern) } catch {
                throw self.error(v.line, "`regex` is not a valid regular expression: \(pattern)", fix: "check brackets and escapes; in YAML, quote the pattern with single quotes")
            }
            return .regex(pattern)
        case "length": return try length(v)
        case "is-json": try flag(v, key); return .isJSON
        case "no-tool-call": try flag(v, key); return .noToolCall
        case "json-schema": return try schema(v)
        case "json-path": return try jsonPath(v)
        case "tool-call": return try toolCall(v)
        case "finish-reason": return .finishReason(try nonEmptyText(v, key))
        case "max-cost":
            let d = try decimal(v, key)
            return .maxCost(d)
        case "max-latency-ms":
            let d = try decimal(v, key)
            return .maxLatencyMs(NSDecimalNumber(decimal: d).doubleValue)
        case "max-tokens":
            guard let s = v.scalar, s.kind == .number, let n = Int(s.text), n >= 0 else {
                throw error(v.line, "`max-tokens` takes a whole number of tokens, got \(v.described)", fix: "e.g. `- max-tokens: 400`")
            }
            return .maxTokens(n)
        case "command":
            guard let items = v.items, !items.isEmpty else {
                throw error(v.line, "`command` takes the program and its arguments as a list (no shell)", fix: "e.g. `- command: [python3, checks/run_code.py]`")
            }
            var argv: [String] = []
            for item in items {
                guard let s = item.scalar, s.kind != .null else { throw error(item.line, "`command` arguments are text, got \(item.described)") }
                argv.append(s.text)
            }
            guard !argv[0].isEmpty else { throw error(v.line, "`command` needs a program name first") }
            return .command(argv)
        case "judge": return try judge(v)
        default: throw unknownType(key, line: line)
        }
    }

    private func text(_ v: EvalSyntax, _ key: String) throws(EvalFileError) -> String {
        guard let s = v.scalar, s.kind != .null else { throw error(v.line, "`\(key)` takes text, got \(v.described)", fix: "e.g. `- \(key): \"some text\"`") }
        return s.text
    }

    private func nonEmptyText(_ v: EvalSyntax, _ key: String) throws(EvalFileError) -> String {
        let t = try text(v, key)
        guard !t.isEmpty else { throw error(v.line, "`\(key)` with empty text always holds", fix: "give the text to look for") }
        return t
    }

    private func texts(_ v: EvalSyntax, _ key: String) throws(EvalFileError) -> [String] {
        guard let items = v.items, !items.isEmpty else { throw error(v.line, "`\(key)` takes a list of text, got \(v.described)", fix: "e.g. `- \(key): [\"refund\", \"replacement\"]`") }
        var out: [String] = []
        for item in items { out.append(try nonEmptyText(item, key)) }
        return out
    }

    private func flag(_ v: EvalSyntax, _ key: String) throws(EvalFileError) {
        guard v.scalar?.kind == .bool || v.scalar?.kind == .null else { throw error(v.line, "`\(key)` takes no argument (or `true`), got \(v.described)") }
        guard v.json != .bool(false) else { throw error(v.line, "`\(key): false` is not an assertion", fix: "to require the opposite, write `- \(key): true` with `not: true` beside it") }
    }

    private func decimal(_ v: EvalSyntax, _ key: String) throws(EvalFileError) -> Decimal {
        // Only plain decimal text: `Decimal(string:)` reads a prefix, so ".inf" or "1e400" would
        // silently become 0 — a limit nothing can pass, or worse, read as something else.
        let text = v.scalar.map { $0.text.replacingOccurrences(of: "_", with: "") } ?? ""
        guard let s = v.scalar, s.kind == .number,
              text.range(of: #"^([0-9]+(\.[0-9]+)?|\.[0-9]+)([eE][-+]?[0-9]{1,2})?$"#, options: .regularExpression) != nil,
              let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
              !d.isNaN, d >= 0, d < Decimal(sign: .plus, exponent: 15, significand: 1),
              !(d.isZero && text.range(of: #"^[0.]+([eE].*)?$"#, options: .regularExpression) == nil) else {
            throw error(v.line, "`\(key)` takes a number of 0 or more, got \(v.described)", fix: key == "max-cost" ? "e.g. `- max-cost: 0.001` (US dollars)" : "e.g. `- \(key): 2000`")
        }
        return d
    }

    private func length(_ v: EvalSyntax) throws(EvalFileError) -> EvalAssertion.Check {
        guard let pairs = v.pairs else { throw error(v.line, "`length` takes `{min: N, max: N}`, got \(v.described)", fix: "e.g. `- length: {min: 20, max: 400}`") }
        var lo: Int?, hi: Int?
        for p in pairs {
            guard p.key == "min" || p.key == "max" else { throw error(p.line, "`length` takes only min and max, not \(p.key)") }
            guard let s = p.value.scalar, s.kind == .number, let n = Int(s.text), n >= 0 else {
                throw error(p.line, "`length.\(p.key)` takes a whole number of characters, got \(p.value.described)")
            }
            if p.key == "min" { lo = n } else { hi = n }
        }
        guard lo != nil || hi != nil else { throw error(v.line, "`length` needs min, max or both") }
        if let lo, let hi, lo > hi { throw error(v.line, "`length` min \(lo) is above max \(hi)") }
        return .length(min: lo, max: hi)
    }

    private func schema(_ v: EvalSyntax) throws(EvalFileError) -> EvalAssertion.Check {
        let schema: JSONValue
        let source: String
        if let s = v.scalar, s.kind == .string {
            let file = s.text.hasPrefix("/") ? s.text : baseDirectory + "/" + s.text
            guard let data = FileManager.default.contents(atPath: file), data.count <= YAMLDocument.maxBytes,
                  let text = String(data: data, encoding: .utf8) else {
                throw error(v.line, "cannot read the schema file \(file)", fix: "give a path relative to the cases file, or write the schema inline")
            }
            // YAML is a superset of JSON: one reader takes schema files in either.
            do {
                guard let node = try YAMLDocument.compose(text) else { throw EvalFileError(path: file, line: nil, message: "the schema file is empty") }
                schema = EvalSyntax(yaml: node).json
            } catch let e as YAMLDocument.LoadError {
                throw EvalFileError(path: file, line: e.line, message: "the schema file does not parse: \(e.message)")
            } catch let e as EvalFileError {
                throw e
            } catch {
                throw EvalFileError(path: file, line: nil, message: "the schema file does not parse: \(error)")
            }
            source = s.text
        } else if v.pairs != nil {
            schema = v.json
            source = "inline"
        } else {
            throw error(v.line, "`json-schema` takes a schema (a mapping) or a schema file's path, got \(v.described)")
        }
        guard case .object = schema else { throw error(v.line, "a JSON Schema is an object") }
        let bad = JSONSchemaValidator.invalidPatterns(in: schema)
        guard bad.isEmpty else { throw error(v.line, "the schema has patterns that are not valid regular expressions: \(bad.joined(separator: "; "))") }
        return .jsonSchema(schema, source: source)
    }

    private func jsonPath(_ v: EvalSyntax) throws(EvalFileError) -> EvalAssertion.Check {
        var pathText: String?
        var equals: JSONValue?
        if let s = v.scalar, s.kind == .string {
            pathText = s.text
        } else if let pairs = v.pairs {
            for p in pairs {
                switch p.key {
                case "path": pathText = p.value.scalar?.text
                case "equals": equals = p.value.json
                default: throw error(p.line, "`json-path` takes path and equals, not \(p.key)")
                }
            }
        }
        guard let pathText else { throw error(v.line, "`json-path` needs a path", fix: "e.g. `- json-path: {path: \"$.items[0].name\", equals: \"Pen\"}`") }
        do { _ = try EvalJSONPath(pathText) } catch { throw self.error(v.line, "`json-path`: \(error.message)") }
        return .jsonPath(path: pathText, equals: equals)
    }

    private func toolCall(_ v: EvalSyntax) throws(EvalFileError) -> EvalAssertion.Check {
        if let s = v.scalar, s.kind == .string, !s.text.isEmpty { return .toolCall(name: s.text, arguments: nil) }
        guard let pairs = v.pairs else { throw error(v.line, "`tool-call` takes a tool name or `{name, arguments}`, got \(v.described)") }
        var name: String?
        var arguments: JSONValue?
        for p in pairs {
            switch p.key {
            case "name": name = p.value.scalar?.text
            case "arguments":
                if let s = p.value.scalar, s.kind == .string {
                    guard let parsed = JSONValue.parse(s.text), case .object = parsed else { throw error(p.line, "`tool-call.arguments` text must be a JSON object") }
                    arguments = parsed
                } else {
                    guard case .object = p.value.json else { throw error(p.line, "`tool-call.arguments` must be a mapping of argument names to values") }
                    arguments = p.value.json
                }
            default: throw error(p.line, "`tool-call` takes name and arguments, not \(p.key)")
            }
        }
        guard let name, !name.isEmpty else { throw error(v.line, "`tool-call` needs the tool's name", fix: "e.g. `- tool-call: {name: get_order_status, arguments: {order_id: AB-12345}}`") }
        return .toolCall(name: name, arguments: arguments)
    }

    private func judge(_ v: EvalSyntax) throws(EvalFileError) -> EvalAssertion.Check {
        if let s = v.scalar, s.kind == .string, !s.text.isEmpty { return .judge(rubric: s.text, provider: nil, model: nil) }
        guard let pairs = v.pairs else { throw error(v.line, "`judge` takes a rubric or `{rubric, provider, model}`, got \(v.described)") }
        var rubric: String?, provider: String?, model: String?
        for p in pairs {
            let t = p.value.scalar.flatMap { $0.kind == .null ? nil : $0.text }
            switch p.key {
            case "rubric": rubric = t
            case "provider": provider = t
            case "model": model = t
            default: throw error(p.line, "`judge` takes rubric, provider and model, not \(p.key)")
            }
        }
        guard let rubric, !rubric.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw error(v.line, "`judge` needs a rubric", fix: "e.g. `- judge: {rubric: \"Cites a passage for every claim\"}`")
        }
        return .judge(rubric: rubric, provider: provider, model: model)
    }

    private func error(_ line: Int?, _ message: String, fix: String? = nil) -> EvalFileError {
        EvalFileError(path: path, line: line, message: message, fix: fix)
    }
}

/// Levenshtein distance, for "did you mean" on short names.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}

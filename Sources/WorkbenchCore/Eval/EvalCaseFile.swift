import Foundation

/// Reads a cases file: YAML (`defaults:` + `cases:`), JSONL (one case object per line, the same
/// keys) or CSV (a header row of variable names, optional `__name` and `__expected` columns).
/// The format comes from the extension. A bad file is refused whole, with every problem found
/// and its line, as templates are.
public enum EvalCaseFile {
    public enum Format: String, Sendable, Equatable, CaseIterable {
        case yaml, jsonl, csv

        /// From the file name: `.yaml`/`.yml`, `.jsonl`/`.ndjson`, `.csv`.
        public init?(path: String) {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "yaml", "yml": self = .yaml
            case "jsonl", "ndjson": self = .jsonl
            case "csv": self = .csv
            default: return nil
            }
        }
    }

    /// Largest cases file read. Far above a hand-written file; JSONL and CSV cases may be
    /// generated (a 10,000-case file is a few MB), and the cap keeps a wrong path (a log, a
    /// dataset dump) from being read into memory whole.
    public static let maxBytes = 32 << 20

    /// The cases in the file at `path`.
    public static func load(path: String) throws(EvalFileErrors) -> EvalCaseSet {
        guard let format = Format(path: path) else {
            throw EvalFileErrors([EvalFileError(path: path, line: nil, message: "cannot tell the cases format from the file name",
                                                fix: "name it .cases.yaml, .yaml, .jsonl or .csv")])
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maxBytes {
            throw EvalFileErrors([EvalFileError(path: path, line: nil, message: "the file is \(size) bytes, more than the \(maxBytes) a cases file may have")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvalFileErrors([EvalFileError(path: path, line: nil, message: "cannot read the cases file",
                                                fix: FileManager.default.fileExists(atPath: path) ? "check its permissions" : "check the path")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EvalFileErrors([EvalFileError(path: path, line: nil, message: "the file is not UTF-8 text")])
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text, format: format, path: path, baseDirectory: base)
    }

    /// Cases from text; `path` is used in errors and `baseDirectory` resolves `json-schema` files.
    public static func parse(_ text: String, format: Format, path: String, baseDirectory: String) throws(EvalFileErrors) -> EvalCaseSet {
        let reader = EvalCaseReader(path: path, baseDirectory: baseDirectory)
        var errors: [EvalFileError] = []
        let cases: [EvalCase]
        switch format {
        case .yaml: cases = yaml(text, reader: reader, errors: &errors)
        case .jsonl: cases = jsonl(text, reader: reader, errors: &errors)
        case .csv: cases = EvalCSVCases.read(text, reader: reader, errors: &errors)
        }
        reader.checkUniqueNames(cases, errors: &errors)
        if cases.isEmpty, errors.isEmpty {
            errors.append(EvalFileError(path: path, line: nil, message: "the file has no cases", fix: format == .yaml ? "add `cases:` with at least one case" : "add at least one case"))
        }
        guard errors.isEmpty else { throw EvalFileErrors(errors.sorted { ($0.line ?? 0) < ($1.line ?? 0) }) }
        return EvalCaseSet(path: path, cases: cases)
    }

    static func yaml(_ text: String, reader: EvalCaseReader, errors: inout [EvalFileError]) -> [EvalCase] {
        let root: EvalSyntax
        do {
            guard let node = try YAMLDocument.compose(text) else { return [] }
            root = EvalSyntax(yaml: node)
        } catch {
            errors.append(EvalFileError(path: reader.path, line: error.line, message: error.message, fix: error.fix))
            return []
        }
        var defaults = EvalCaseDefaults()
        var list: EvalSyntax?
        if root.items != nil {
            list = root   // a bare list of cases, without `defaults:`
        } else if let pairs = root.pairs {
            // `defaults` is read first wherever it is written: it applies to every case.
            if let d = pairs.first(where: { $0.key == "defaults" }) { defaults = reader.readDefaults(d.value, errors: &errors) }
            for p in pairs where p.key != "defaults" {
                if p.key == "cases" { list = p.value } else { errors.append(reader.unknownKey(p.key, line: p.line, known: ["defaults", "cases"], what: "top-level")) }
            }
            if list == nil { errors.append(reader.error(root.line, "the file has no `cases:` list", fix: "add `cases:` with one `- name: …` entry per case")) }
        } else {
            errors.append(reader.error(root.line, "a cases file is a mapping with `defaults:` and `cases:`, got \(root.described)"))
        }
        guard let list else { return [] }
        guard let items = list.items else {
            errors.append(reader.error(list.line, "`cases` must be a list", fix: "start each case with `- name: …`"))
            return []
        }
        return items.enumerated().compactMap { reader.readCase($0.element, index: $0.offset + 1, defaults: defaults, errors: &errors) }
    }

    static func jsonl(_ text: String, reader: EvalCaseReader, errors: inout [EvalFileError]) -> [EvalCase] {
        var cases: [EvalCase] = []
        var index = 0
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            index += 1
            guard let value = JSONValue.parse(line) else {
                errors.append(reader.error(n + 1, "not a JSON object: \(String(line.prefix(60)))", fix: "each line is one case as a JSON object, e.g. {\"name\": \"a\", \"vars\": {\"question\": \"…\"}}"))
                continue
            }
            if let c = reader.readCase(EvalSyntax(json: value, line: n + 1), index: index, defaults: EvalCaseDefaults(), errors: &errors) { cases.append(c) }
        }
        return cases
    }
}

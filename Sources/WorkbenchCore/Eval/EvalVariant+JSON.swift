/// A variant as `--json` prints it and the log stores it, and back: `eval show` must label and
/// describe a column exactly as the run that made it did.
extension EvalVariant {
    /// `id`, `label`, `source`, and the column's `provider`, `model` and `mode` when known.
    public var json: JSONValue {
        var o: [String: JSONValue] = ["id": .string(id), "label": .string(label), "source": source.json]
        if let provider { o["provider"] = .string(provider) }
        if let model { o["model"] = .string(model) }
        if let mode { o["mode"] = .string(mode.label) }
        return .object(o)
    }

    /// Reads what `json` wrote; missing fields (older logs) stay nil, an unknown kind is a file.
    public init(json v: JSONValue) {
        let s = v["source"]
        let source: Source
        switch s?["kind"]?.stringValue {
        case "git": source = .git(rev: s?["rev"]?.stringValue ?? "?", sha: s?["sha"]?.stringValue)
        case "model": source = .model(model: s?["model"]?.stringValue ?? "?", provider: s?["provider"]?.stringValue)
        case "provider": source = .provider(s?["provider"]?.stringValue ?? "?")
        case "mode": source = .mode(s?["mode"]?.stringValue ?? "?")
        default: source = .file(path: s?["path"]?.stringValue)
        }
        self.init(
            id: v["id"]?.stringValue ?? "?", label: v["label"]?.stringValue ?? "?", source: source,
            provider: v["provider"]?.stringValue, model: v["model"]?.stringValue,
            mode: v["mode"]?.stringValue.flatMap(RunMode.init(label:)))
    }
}

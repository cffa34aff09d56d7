extension EvalVariant.Source {
    /// A source read back from the log's `variants_json` (the inverse of `json`), so `eval show`
    /// and `eval rescore` see the same kind of column the evaluation ran — a git revision stays a
    /// revision, a model a model. Anything unreadable is a file of unknown path.
    public init(json v: JSONValue?) {
        let s = { (k: String) in v?[k]?.stringValue }
        switch s("kind") {
        case "git": self = .git(rev: s("rev") ?? "?", sha: s("sha"))
        case "model": self = .model(model: s("model") ?? "?", provider: s("provider"))
        case "provider": self = .provider(s("provider") ?? "?")
        case "mode": self = .mode(s("mode") ?? "?")
        default: self = .file(path: s("path"))
        }
    }
}

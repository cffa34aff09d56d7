/// A column of an evaluation: the same cases run another way.
public struct EvalVariant: Sendable, Equatable {
    /// Short and unique within an evaluation (`A`, `B`, … or what the runner chooses).
    public var id: String
    /// What users read in the column header: `on disk`, `HEAD`, `glm-4.5`, `non-stream`.
    public var label: String
    public var source: Source
    /// The provider, model and streaming mode the column's cells are sent with, resolved before
    /// anything is sent, so a column always says what it ran on (nil only in evaluations logged
    /// before columns carried them).
    public var provider: String?
    public var model: String?
    public var mode: RunMode?

    public init(
        id: String, label: String, source: Source, provider: String? = nil, model: String? = nil, mode: RunMode? = nil
    ) {
        self.id = id
        self.label = label
        self.source = source
        self.provider = provider
        self.model = model
        self.mode = mode
    }

    /// Where the variant differs from the template on disk.
    public enum Source: Sendable, Equatable {
        /// A template file (the one on disk, or `--variant FILE`).
        case file(path: String?)
        /// The template at a git revision (`--against REV`), with the commit it resolved to.
        case git(rev: String, sha: String?)
        /// `--model M` (with the provider when one was named).
        case model(model: String, provider: String?)
        case provider(String)
        /// `stream` or `non-stream`.
        case mode(String)

        public var kind: String {
            switch self {
            case .file: return "file"
            case .git: return "git"
            case .model: return "model"
            case .provider: return "provider"
            case .mode: return "mode"
            }
        }

        /// `{kind: file}`, `{kind: git, rev, sha}`, `{kind: model, model}`, `{kind: mode, mode}`.
        public var json: JSONValue {
            var o: [String: JSONValue] = ["kind": .string(kind)]
            switch self {
            case .file(let path): if let path { o["path"] = .string(path) }
            case .git(let rev, let sha):
                o["rev"] = .string(rev)
                o["sha"] = sha.map(JSONValue.string) ?? .null
            case .model(let model, let provider):
                o["model"] = .string(model)
                if let provider { o["provider"] = .string(provider) }
            case .provider(let p): o["provider"] = .string(p)
            case .mode(let m): o["mode"] = .string(m)
            }
            return .object(o)
        }
    }
}

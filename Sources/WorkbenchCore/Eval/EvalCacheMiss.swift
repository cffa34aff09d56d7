import Foundation

/// Why a cell was sent instead of answered from the log: "why did this not come from the cache"
/// is the question promptfoo and inspect-ai users could not get answered. The nearest logged
/// request is the one this same case and column sent the last time the template was evaluated;
/// the answer names what differs from it (provider, model, or the request body's fields, with
/// the old and new values cut short).
public enum EvalCacheMiss {
    /// What the cell was about to send (the cache key).
    public struct Key: Sendable, Equatable {
        public var provider: String
        public var baseURL: String
        public var model: String
        public var requestJSON: String
        public var repeatIndex: Int

        public init(provider: String, baseURL: String, model: String, requestJSON: String, repeatIndex: Int) {
            self.provider = provider
            self.baseURL = baseURL
            self.model = model
            self.requestJSON = requestJSON
            self.repeatIndex = repeatIndex
        }
    }

    /// How many differing fields are named before "and N more".
    static let shownPaths = 3

    /// One line. `previous` is the run this case and column had in the latest earlier evaluation
    /// of the template (nil when there was none).
    public static func explain(_ key: Key, previous: RunRecord?) -> String {
        guard let p = previous else { return "no earlier evaluation of this case and column in the log" }
        var differences: [String] = []
        if p.provider != key.provider { differences.append("provider \(p.provider) → \(key.provider)") }
        if p.baseUrl != key.baseURL { differences.append("base URL \(p.baseUrl) → \(key.baseURL)") }
        if p.model != key.model { differences.append("model \(p.model) → \(key.model)") }
        if p.requestJson != key.requestJSON {
            differences += fieldDifferences(old: p.requestJson, new: key.requestJSON)
        }
        if !differences.isEmpty {
            let shown = differences.prefix(shownPaths).joined(separator: "; ")
            let more = differences.count > shownPaths ? "; and \(differences.count - shownPaths) more" : ""
            return "the request differs from run \(p.id) (the last evaluation's): \(shown)\(more)"
        }
        if p.status != .ok {
            return "the same request's last run \(p.id) ended \(p.status.rawValue); only ok runs are reused"
        }
        return "repeat \(key.repeatIndex + 1) needs its own earlier ok run of this exact request, and the log has fewer"
    }

    /// The request fields that differ, as `path: old → new` (values cut to a few words), in
    /// document order; a body that is not JSON is one difference.
    static func fieldDifferences(old: String, new: String) -> [String] {
        guard let a = JSONValue.parse(old), let b = JSONValue.parse(new) else { return ["the request body"] }
        var out: [String] = []
        diff(a, b, path: "", into: &out)
        return out.isEmpty ? ["the request body's bytes (same fields, other spacing or key order)"] : out
    }

    static func diff(_ a: JSONValue?, _ b: JSONValue?, path: String, into out: inout [String]) {
        switch (a, b) {
        case (.object(let x)?, .object(let y)?):
            for k in Set(x.keys).union(y.keys).sorted() {
                diff(x[k], y[k], path: path.isEmpty ? k : path + "." + k, into: &out)
            }
        case (.array(let x)?, .array(let y)?) where x.count == y.count:
            for i in x.indices { diff(x[i], y[i], path: path + "[\(i)]", into: &out) }
        default:
            guard a != b else { return }
            out.append("\(path.isEmpty ? "body" : path): \(short(a)) → \(short(b))")
        }
    }

    /// A value as a few words: long texts keep their start and are cut with `…`.
    static func short(_ v: JSONValue?) -> String {
        guard let v else { return "absent" }
        switch v {
        case .string(let s):
            let flat = TerminalText.visible(s.replacingOccurrences(of: "\n", with: "⏎"))
            return "\"" + (flat.count > 40 ? String(flat.prefix(39)) + "…" : flat) + "\""
        case .array(let xs): return "[\(xs.count) items]"
        case .object(let o): return "{\(o.count) fields}"
        default: return WireJSON.string(v)
        }
    }
}

import Foundation

/// The model-graded check, minus the model call: the prompt the judge gets and how its reply is
/// read. The verdict is asked for as one JSON object, `{"pass": true|false, "reason": "…"}`; a
/// reply that is not exactly that shape gives no verdict (unscored), because guessing "pass"
/// out of free text is how graders silently inflate scores.
public enum EvalJudge {
    public static let system = """
        You are a strict grader. You receive a rubric and a model's output (with the inputs that \
        produced it and, when given, an ideal answer). Decide whether the output satisfies the rubric. \
        Reply with one JSON object and nothing else: {"pass": true or false, "reason": "one short sentence"}.
        """

    public static func request(rubric: String, provider: String?, model: String?, observation o: EvalObservation) -> EvalJudgeRequest {
        var user = "Rubric:\n\(rubric)\n\n"
        if !o.vars.isEmpty {
            user += "Inputs:\n" + o.vars.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n") + "\n\n"
        }
        if let e = o.expected { user += "Ideal answer:\n\(e)\n\n" }
        user += "Output:\n\(o.output)"
        if !o.toolCalls.isEmpty { user += "\n\nTool calls:\n" + o.toolCalls.map(\.canonical).joined(separator: "\n") }
        return EvalJudgeRequest(rubric: rubric, provider: provider, model: model, system: system, user: user)
    }

    /// The judge a request goes to once the config's `judge:` fills what the assertion left
    /// out: an assertion naming nothing takes the configured provider and model; one naming
    /// only the configured provider (or only a model) takes the rest from the config; one naming
    /// another provider keeps that provider's own default model, since a model id belongs to
    /// its provider. Whatever is still nil is the evaluation's provider and its default model.
    public static func resolved(_ r: EvalJudgeRequest, defaults: WorkbenchConfig.JudgeSetting?) -> EvalJudgeRequest {
        guard let d = defaults else { return r }
        var out = r
        let sameProvider = r.provider == nil || r.provider == d.provider
        if r.provider == nil { out.provider = d.provider }
        if r.model == nil, sameProvider { out.model = d.model }
        return out
    }

    /// The verdict in `text`, or nil when it is not `{"pass": Bool, "reason"?: String}`. A JSON
    /// object inside a ```json fence is accepted (models add fences even in JSON mode).
    public static func verdict(_ text: String) -> (pass: Bool, reason: String)? {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.hasPrefix("```") {
            t = t.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n")
            if t.hasSuffix("```") { t = String(t.dropLast(3)) }
        }
        guard case .object(let o)? = JSONValue.parse(t), case .bool(let pass)? = o["pass"] else { return nil }
        if let r = o["reason"], r.stringValue == nil, r != .null { return nil }
        return (pass, o["reason"]?.stringValue ?? "")
    }
}

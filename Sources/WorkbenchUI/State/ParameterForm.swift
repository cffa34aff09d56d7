import Foundation
import WorkbenchCore

/// The model-parameters form. Values are edited as text and validated on apply, so a typo is
/// reported on its field instead of silently becoming a default.
public struct ParameterForm: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case model, temperature, topP = "top_p", maxTokens = "max_tokens", stop, doSample = "do_sample"
        case jsonMode = "json mode"
        case thinking, clearThinking = "clear_thinking", reasoningEffort = "reasoning_effort"
        case toolStream = "tool_stream", requestId = "request_id"
        case userId = "user_id"
    }
    public var values: [Field: String]
    public var selection = 0
    public var error: String?

    public init(parameters p: RequestParameters, model: String) {
        values = [
            .model: p.model ?? model,
            .temperature: p.temperature.map { String($0) } ?? "",
            .topP: p.topP.map { String($0) } ?? "",
            .maxTokens: p.maxTokens.map { String($0) } ?? "",
            .stop: Self.stopText(p.stop),
            .doSample: p.doSample == false ? "off" : "on",
            .jsonMode: p.jsonMode ? "on" : "off",
            .thinking: p.thinking.map { $0 ? "on" : "off" } ?? "default",
            .clearThinking: p.clearThinking.map { $0 ? "on" : "off" } ?? "default",
            .reasoningEffort: p.reasoningEffort ?? "",
            .toolStream: p.toolStream == true ? "on" : "off",
            .requestId: p.requestId ?? "",
            .userId: p.userId ?? "",
        ]
    }

    public var field: Field { Field.allCases[selection] }
    public var isToggle: Bool { [.doSample, .jsonMode, .thinking, .clearThinking, .toolStream].contains(field) }

    public struct Problem: Error, Equatable { public var message: String }

    /// The parameters the form describes, or the first problem found.
    public func apply(to base: RequestParameters) -> Result<RequestParameters, Problem> {
        var p = base
        let model = values[.model, default: ""].trimmingCharacters(in: .whitespaces)
        p.model = model.isEmpty ? nil : model
        func number(_ f: Field, _ range: ClosedRange<Double>) -> Result<Double?, Problem> {
            let t = values[f, default: ""].trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return .success(nil) }
            guard let v = Double(t), range.contains(v) else { return .failure(Problem(message: "\(f.rawValue) must be a number in \(range.lowerBound)…\(range.upperBound) (empty = server default)")) }
            return .success(v)
        }
        switch number(.temperature, 0...1) { case .success(let v): p.temperature = v; case .failure(let e): return .failure(e) }
        switch number(.topP, 0.01...1) { case .success(let v): p.topP = v; case .failure(let e): return .failure(e) }
        let mt = values[.maxTokens, default: ""].trimmingCharacters(in: .whitespaces)
        if mt.isEmpty { p.maxTokens = nil } else {
            let most = ModelTable.largestOutput
            guard let v = Int(mt), (1...most).contains(v) else {
                return .failure(Problem(message: "max_tokens must be a whole number in 1…\(most) (empty = server default)"))
            }
            p.maxTokens = v
        }
        switch Self.stops(values[.stop, default: ""]) { case .success(let v): p.stop = v; case .failure(let e): return .failure(e) }
        p.doSample = values[.doSample] == "off" ? false : nil
        p.jsonMode = values[.jsonMode] == "on"
        p.thinking = ThinkingSetting.parseSwitch(values[.thinking, default: ""])
        p.clearThinking = ThinkingSetting.parseSwitch(values[.clearThinking, default: ""])
        p.toolStream = values[.toolStream] == "on" ? true : nil
        let effort = values[.reasoningEffort, default: ""].trimmingCharacters(in: .whitespaces)
        guard effort.isEmpty || ThinkingSetting.efforts.contains(effort) else {
            let efforts = ThinkingSetting.efforts.joined(separator: ", ")
            return .failure(Problem(message: "reasoning_effort: one of \(efforts) (empty = not sent)"))
        }
        p.reasoningEffort = effort.isEmpty ? nil : effort
        for (f, range) in [(Field.requestId, ClientIDLimits.requestId), (.userId, ClientIDLimits.userId)] {
            let v = values[f, default: ""].trimmingCharacters(in: .whitespaces)
            guard v.isEmpty || range.contains(v.count) else {
                let span = "\(range.lowerBound)–\(range.upperBound)"
                return .failure(Problem(message: "\(f.rawValue): \(span) characters (empty = not sent)"))
            }
            if f == .requestId { p.requestId = v.isEmpty ? nil : v } else { p.userId = v.isEmpty ? nil : v }
        }
        return .success(p)
    }

    /// Stop sequences as typed: one sequence as plain text, several as a JSON array
    /// (`["END", "\n\n"]`), empty for none. Plain text cannot hold a newline, so JSON it is.
    static func stopText(_ stop: [String]?) -> String {
        guard let stop, !stop.isEmpty else { return "" }
        if stop.count == 1, let s = stop.first, !s.contains("\n"), !s.hasPrefix("[") { return s }
        return JSONValue.array(stop.map(JSONValue.string)).canonicalText
    }

    static func stops(_ text: String) -> Result<[String]?, Problem> {
        if text.isEmpty { return .success(nil) }
        guard text.hasPrefix("[") else { return .success([text]) }
        guard let items = JSONValue.parse(text)?.arrayValue, let list = Optional(items.compactMap(\.stringValue)),
              list.count == items.count, (1...4).contains(list.count), list.allSatisfy({ !$0.isEmpty }) else {
            return .failure(Problem(message: "stop: one sequence as text, or a JSON array of 1–4 non-empty strings, e.g. [\"END\", \"\\n\\n\"]"))
        }
        return .success(list)
    }

    /// What a key did to the form: nothing more to do, close it, or apply these parameters.
    public enum Outcome: Equatable { case editing, cancelled, applied(RequestParameters) }

    /// The form's own keys, so the reducer only opens it and acts on its outcome.
    public mutating func handle(_ key: Key, base: RequestParameters) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .up, .backTab: selection = max(0, selection - 1); error = nil
        case .down, .tab: selection = min(Field.allCases.count - 1, selection + 1); error = nil
        case .char(" ") where isToggle, .left where isToggle, .right where isToggle:
            // thinking has a third state: not sent (the model's default).
            let cycle = [.thinking, .clearThinking].contains(field) ? ["default", "on", "off"] : ["on", "off"]
            let i = cycle.firstIndex(of: values[field, default: ""]) ?? (cycle.count - 1)
            values[field] = cycle[(i + 1) % cycle.count]
        case .char(let c) where !isToggle:
            values[field, default: ""].append(c)
        case .paste(let text) where !isToggle:
            values[field, default: ""] += text.replacingOccurrences(of: "\n", with: " ")
        case .ctrl("u") where !isToggle:
            // Clears the field, so a new model name replaces the old one instead of being
            // appended to it (`glm-4-32b-0414-128ksim/…` was sent).
            values[field] = ""; error = nil
        case .backspace where !isToggle:
            if !(values[field] ?? "").isEmpty { values[field]!.removeLast() }
        case .enter, .ctrl("s"):
            switch apply(to: base) {
            case .success(let p): return .applied(p)
            case .failure(let e): error = e.message
            }
        default: break
        }
        return .editing
    }
}

import WorkbenchCore

/// The command palette: every action by name, filtered by what the user types.
public struct PaletteState: Sendable, Equatable {
    public var filter = ""
    public var selection = 0

    public init() {}

    public var matches: [Action] {
        let words = filter.lowercased().split(separator: " ")
        return Action.allCases.filter { a in
            let hay = (a.title + " " + a.rawValue).lowercased()
            return words.allSatisfy { hay.contains($0) }
        }
    }
}

/// The model-parameters form. Values are edited as text and validated on apply, so a typo is
/// reported on its field instead of silently becoming a default.
public struct ParameterForm: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable { case model, temperature, topP = "top_p", maxTokens = "max_tokens", doSample = "do_sample", jsonMode = "json mode" }
    public var values: [Field: String]
    public var selection = 0
    public var error: String?

    public init(parameters p: RequestParameters, model: String) {
        values = [
            .model: p.model ?? model,
            .temperature: p.temperature.map { String($0) } ?? "",
            .topP: p.topP.map { String($0) } ?? "",
            .maxTokens: p.maxTokens.map { String($0) } ?? "",
            .doSample: p.doSample == false ? "off" : "on",
            .jsonMode: p.jsonMode ? "on" : "off",
        ]
    }

    public var field: Field { Field.allCases[selection] }
    public var isToggle: Bool { field == .doSample || field == .jsonMode }

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
            guard let v = Int(mt), (1...16384).contains(v) else { return .failure(Problem(message: "max_tokens must be a whole number in 1…16384 (empty = server default)")) }
            p.maxTokens = v
        }
        p.doSample = values[.doSample] == "off" ? false : nil
        p.jsonMode = values[.jsonMode] == "on"
        return .success(p)
    }
}

import Foundation

/// Checks a transcript against numbered rules (`1. Greet the customer.`), as an inspection
/// prompt asks, by reading each rule's words against the agent's lines:
/// - "Never X without Y": broken when an agent line says a word of X and no line says one of Y;
/// - "Do X before Y" (or when/after Y): applies only once a line says Y;
/// - "Do X": kept when some agent line says a word of X (or a word the simulator knows means it,
///   e.g. "hello" for greet).
struct SimRuleCheck {
    struct Breach: Equatable, Sendable {
        var rule: String
        var evidence: String
    }

    var text: String

    /// The few meanings a word-matching model cannot see in the words themselves.
    static let meanings: [String: [String]] = [
        "greet": ["hi", "hello", "hey", "welcome", "morn", "afternoon", "evening"],
        "satisfi": ["happy", "sorted", "resolv", "help"],
    ]
    /// Verbs that say nothing about what a line must contain.
    static let generic: Set<String> = [
        "give", "make", "ensure", "always", "must", "never", "customer", "agent", "promise",
    ]

    var rules: [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.range(of: #"^\d+\.\s+\S"#, options: .regularExpression) != nil }
    }

    var agentLines: [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("Agent") }
    }

    var transcriptLines: [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.range(of: #"^[A-Z][A-Za-z]*( \([^)]*\))?:\s*\S"#, options: .regularExpression) != nil }
    }

    var breaches: [Breach] { rules.compactMap(check) }

    func check(_ rule: String) -> Breach? {
        let body = rule.replacingOccurrences(of: #"^\d+\.\s+"#, with: "", options: .regularExpression)
        let lower = body.lowercased()
        if lower.hasPrefix("never ") || lower.hasPrefix("do not ") || lower.hasPrefix("don't ") {
            let parts = lower.components(separatedBy: " without ")
            let act = Self.key(parts[0])
            let condition = parts.count > 1 ? Self.key(parts[1]) : []
            guard let line = agentLines.first(where: { !Self.says($0, act).isEmpty }) else { return nil }
            if !condition.isEmpty, transcriptLines.contains(where: { !Self.says($0, condition).isEmpty }) { return nil }
            return Breach(rule: rule, evidence: "The agent said: \"\(Self.spoken(line))\"")
        }
        var act = lower
        for word in [" before ", " when ", " after ", " once "] {
            let parts = lower.components(separatedBy: word)
            guard parts.count > 1 else { continue }
            act = parts[0]
            let trigger = Self.key(parts[1])
            guard let line = agentLines.first(where: { !Self.says($0, trigger).isEmpty }) else { return nil }
            if agentLines.contains(where: { !Self.says($0, Self.key(act)).isEmpty }) { return nil }
            return Breach(rule: rule, evidence: "The agent said \"\(Self.spoken(line))\" without doing so first")
        }
        if agentLines.contains(where: { !Self.says($0, Self.key(act)).isEmpty }) { return nil }
        let first = agentLines.first.map { "the agent opened with \"\(Self.spoken($0))\"" } ?? "the agent said nothing"
        return Breach(rule: rule, evidence: "Not done: \(first)")
    }

    static func key(_ clause: String) -> Set<String> {
        let t = SimWords.terms(clause).subtracting(generic.map(SimWords.stem))
        return t.union(t.flatMap { meanings[$0] ?? [] })
    }

    static func says(_ line: String, _ terms: Set<String>) -> Set<String> {
        terms.intersection(SimWords.terms(spoken(line)))
    }

    /// The words after the speaker's label.
    static func spoken(_ line: String) -> String {
        guard let colon = line.firstIndex(of: ":") else { return line }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}

import Foundation

/// A fixed-format assessment ("Reply in this exact format:" then `Label: <placeholder>` lines)
/// of a candidate text against a requirements text — the first and second labelled sections of
/// the user's message. Requirements are the phrases of the first section (after
/// "Requirements:" when it says so) split at `;`, `,`, "and", "or"; one is met when the second
/// section names one of its words. The score is the share met; `<a | b | c>` picks a, b or c by
/// that share (75% and 40% the bounds); list lines get the met and the missing phrases.
struct SimMatchScore {
    var format: [(label: String, placeholder: String)]
    var requirements: [String]
    var candidate: String

    static let filler: Set<String> = ["year", "experience", "plu", "plus", "strong", "knowledge", "skill", "good"]

    init?(system: String, user: String) {
        guard let start = system.range(of: "exact format:", options: .caseInsensitive) else { return nil }
        format = system[start.upperBound...].split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":"), line.contains("<") else { return nil }
            return (
                line[..<colon].trimmingCharacters(in: .whitespaces),
                line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            )
        }
        let sections = Self.sections(user)
        guard !format.isEmpty, sections.count >= 2 else { return nil }
        var source = sections[0]
        if let r = source.range(of: "requirements:", options: .caseInsensitive) {
            source = String(source[r.upperBound...])
        }
        let pieces = source.replacingOccurrences(
            of: #"(?i)\s(and|or)\s|[;,.]"#, with: "\n", options: .regularExpression)
        requirements = pieces.split(separator: "\n").map(Self.name).filter { !$0.isEmpty }
        candidate = sections[1]
    }

    /// The text under each `Label:` line.
    static func sections(_ text: String) -> [String] {
        var out: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasSuffix(":"), !line.contains(" ") || line.split(separator: " ").count <= 3 {
                out.append("")
            } else if !out.isEmpty {
                out[out.count - 1] += line + "\n"
            }
        }
        return out
    }

    /// "3+ years of Go" → "Go"; "experience with payment systems is a plus" → "payment systems".
    static func name(_ phrase: Substring) -> String {
        SimWords.words(String(phrase)).isEmpty
            ? ""
            : phrase.split(separator: " ").filter { w in
                let lw = SimWords.words(String(w))
                return !lw.isEmpty
                    && lw.allSatisfy { !SimWords.stopwords.contains($0) && !filler.contains(SimWords.stem($0)) }
                    && !lw.allSatisfy { $0.allSatisfy(\.isNumber) } && lw != ["is"]
            }.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: "()"))
    }

    var met: [String] {
        let have = SimWords.terms(candidate)
        return requirements.filter { !SimWords.terms($0).isDisjoint(with: have) }
    }

    var score: Int { requirements.isEmpty ? 0 : met.count * 100 / requirements.count }

    var answer: String {
        let met = self.met
        let missing = requirements.filter { !met.contains($0) }
        return format.map { label, placeholder in
            let l = label.lowercased()
            if l.contains("score") { return "\(label): \(score)" }
            if l.contains("missing") {
                return "\(label): \(missing.isEmpty ? "none" : missing.joined(separator: ", "))"
            }
            if l.contains("match") { return "\(label): \(met.isEmpty ? "none" : met.joined(separator: ", "))" }
            if let open = placeholder.firstIndex(of: "<"), let close = placeholder[open...].firstIndex(of: ">"),
                case let choices = placeholder[placeholder.index(after: open)..<close].split(separator: "|")
                    .map({ $0.trimmingCharacters(in: .whitespaces) }),
                choices.count > 1
            {
                let pick = score >= 75 ? 0 : score >= 40 ? min(1, choices.count - 1) : choices.count - 1
                let why =
                    "meets \(met.count) of \(requirements.count) requirements"
                    + (missing.isEmpty ? "." : "; missing \(missing.joined(separator: ", ")).")
                return "\(label): \(choices[pick]) - The candidate \(why)"
            }
            return "\(label): \(placeholder)"
        }.joined(separator: "\n")
    }
}

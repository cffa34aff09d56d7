import Foundation

/// Extractive question answering over numbered passages (`[1] …` lines), the way a careful
/// model follows a "cite every claim, else say you don't know" prompt: the passage that shares
/// the most topic words with the question is the answer, quoted with its `[n]`; a question the
/// passages do not cover gets the refusal.
struct SimGroundedAnswer {
    struct Passage: Equatable, Sendable {
        var number: Int
        var text: String
    }

    /// The template's rule, word for word.
    static let refusal = "I don't know from these passages."

    var passages: [Passage]
    var question: String
    /// "detailed" adds every other passage that touches the question.
    var detailed = false

    /// Passages and question found in a prompt: `[n] text` lines, and the `Question:` line (else
    /// the prompt without its passages). nil when the prompt has no numbered passages.
    init?(prompt: String) {
        var passages: [Passage] = []
        var rest: [Substring] = []
        var question: String?
        for line in prompt.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if let p = Self.passage(t) {
                passages.append(p)
            } else if t.lowercased().hasPrefix("question:") {
                question = String(t.dropFirst("question:".count)).trimmingCharacters(in: .whitespaces)
            } else {
                rest.append(line)
            }
        }
        guard !passages.isEmpty else { return nil }
        self.passages = passages
        self.question = question ?? rest.joined(separator: "\n")
        detailed = prompt.range(of: #"(?i)answer style:\s*detailed"#, options: .regularExpression) != nil
    }

    init(passages: [Passage], question: String, detailed: Bool = false) {
        self.passages = passages
        self.question = question
        self.detailed = detailed
    }

    static func passage(_ line: String) -> Passage? {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]"),
            let n = Int(line[line.index(after: line.startIndex)..<close])
        else { return nil }
        let text = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : Passage(number: n, text: text)
    }

    /// Covered means: the best passage shares at least two of the question's topic words and at
    /// least half of them. One shared word ("X200") is a topic match, not an answer.
    var answer: String {
        let q = SimWords.terms(question)
        let scored = passages.map { ($0, SimWords.overlap(q, $0.text)) }
        guard let best = scored.max(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0.number > $1.0.number) }),
            best.1 >= 2, best.1 * 2 >= q.count
        else { return Self.refusal }
        var used = [best.0]
        if detailed {
            used = scored.filter { $0.1 > 0 }.map(\.0).sorted { $0.number < $1.number }
        }
        return used.map(Self.cited).joined(separator: " ")
    }

    /// "The X200 … battery." → "The X200 … battery [1]."
    static func cited(_ p: Passage) -> String {
        var text = p.text
        while let last = text.last, ".!;".contains(last) { text.removeLast() }
        return "\(text) [\(p.number)]."
    }
}

import Foundation

/// The simulated model's reading: words, crude stems and overlap. Deterministic and small on
/// purpose — enough for `grounded` to pick a passage, a tool or an enum value by the words a
/// request shares with it, never by knowing the expected answer.
enum SimWords {
    /// Words that carry no topic: questions share them with every passage.
    static let stopwords: Set<String> = [
        "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before",
        "but", "by", "can", "could", "did", "do", "does", "doe", "for", "from", "had", "has", "have", "how", "i",
        "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "please", "so",
        "some", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "us",
        "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would",
        "you", "your", "yes", "e", "g", "eg",
    ]

    /// Lower-cased runs of letters and digits ("X200", "vacuum's" → "vacuum", "s").
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// A crude suffix-stripping stem: "covered", "covering" → "cover"; "shipping", "shipment" →
    /// "ship"; "escalated", "escalate" → "escalat".
    static func stem(_ word: String) -> String {
        var w = word
        for suffix in [
            "ations", "ation", "ments", "ment", "ings", "ing", "ives", "ive", "edly", "ed", "ies", "es", "s", "e", "ly",
        ] {
            if w.hasSuffix(suffix), w.count - suffix.count >= 3 {
                w = String(w.dropLast(suffix.count))
                if suffix == "ies" { w += "y" }
                break
            }
        }
        if let last = w.last, w.count >= 4, w.dropLast().last == last, !"aeiouls".contains(last) { w.removeLast() }
        return w
    }

    /// The topic words of a text, stemmed, without stopwords or one-letter pieces.
    static func terms(_ text: String) -> Set<String> {
        Set(words(text).filter { $0.count > 1 && !stopwords.contains($0) }.map(stem))
    }

    /// A number that is written without a fraction and fits an Int exactly.
    static func isWhole(_ n: Double) -> Bool { n == n.rounded() && abs(n) < 1e15 }

    /// How many of `query`'s terms `text` contains.
    static func overlap(_ query: Set<String>, _ text: String) -> Int {
        query.intersection(terms(text)).count
    }
}

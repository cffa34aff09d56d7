import Foundation

/// A regex search with a time budget. The pattern comes from a user or a tool's schema (an MCP
/// server's), the text from the model, and a pattern like `(a+)+$` backtracks exponentially on
/// the right input: without a bound one output could hang a whole evaluation or a tool loop.
/// `.reportProgress` makes ICU call back while it works, which is where the search is stopped.
/// Used by the `regex` assertion and by schema `pattern`s.
enum BoundedRegex {
    enum Outcome: Equatable {
        case match(Range<String.Index>)
        case none
        case timedOut
    }

    static let budget: TimeInterval = 2

    static func firstMatch(_ re: NSRegularExpression, in text: String, budget: TimeInterval = budget) -> Outcome {
        let start = Date()
        var outcome = Outcome.none
        let all = NSRange(text.startIndex..., in: text)
        re.enumerateMatches(in: text, options: [.reportProgress], range: all) { m, _, stop in
            if let m, let r = Range(m.range, in: text) {
                outcome = .match(r)
                stop.pointee = true
            } else if Date().timeIntervalSince(start) > budget {
                outcome = .timedOut
                stop.pointee = true
            }
        }
        return outcome
    }
}

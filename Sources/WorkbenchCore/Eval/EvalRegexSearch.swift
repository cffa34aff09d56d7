import Foundation

/// A regex search with a time budget. The pattern is the user's, but the text is the model's,
/// and a pattern like `(a+)+$` backtracks exponentially on the right input: without a bound
/// one output could hang a whole evaluation. `.reportProgress` makes ICU call back while it
/// works, which is where the search is stopped.
enum EvalRegexSearch {
    enum Outcome: Equatable {
        case match(Range<String.Index>)
        case none
        case timedOut
    }

    static let budget: TimeInterval = 2

    static func firstMatch(_ re: NSRegularExpression, in text: String, budget: TimeInterval = budget) -> Outcome {
        let start = Date()
        var outcome = Outcome.none
        re.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) { m, _, stop in
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

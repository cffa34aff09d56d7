import Foundation
import GRDB

/// One place a search matched: which field, and a one-line window of text around the match.
public struct SearchMatch: Sendable, Equatable {
    public enum Field: String, Sendable, Equatable {
        case prompt, reply
        /// The system prompt: the third field the full-text index holds.
        case system = "system prompt"
    }

    public var field: Field
    /// Up to `context` characters before the match, starting with `…` when cut.
    public var before: String
    /// The matched text as written (its case, its accents).
    public var text: String
    /// Up to `context` characters after the match, ending with `…` when cut.
    public var after: String

    /// The window with the match marked: `…before «match» after…`.
    public var marked: String { before + "«" + text + "»" + after }
}

/// A run the search found, and where in it each field matched.
public struct SearchHit: Sendable, Equatable {
    public var run: RunRecord
    public var matches: [SearchMatch]
}

extension RunLog {
    /// Full-text search over prompts, system prompts and replies, best matches first.
    public func search(_ text: String, limit: Int = 50) throws -> [RunRecord] {
        guard let pattern = FTS5Pattern(matchingAllPrefixesIn: text) else { return [] }
        return try db.read { db in
            try RunRecord.fetchAll(
                db,
                sql: """
                    SELECT runs.* FROM runs JOIN runs_fts ON runs_fts.rowid = runs.rowid
                    WHERE runs_fts MATCH ? ORDER BY bm25(runs_fts) LIMIT ?
                    """, arguments: [pattern, limit]
            ).map { try Self.completed($0, db: db) }
        }
    }

    /// `search`, with a snippet of `context` characters either side of the first match in each
    /// field that matched (prompt, reply, system prompt).
    public func searchHits(_ text: String, limit: Int = 50, context: Int = 40) throws -> [SearchHit] {
        let terms = SearchSnippet.terms(text)
        return try search(text, limit: limit).map { SearchHit(run: $0, matches: SearchSnippet.matches(in: $0, terms: terms, context: context)) }
    }
}

/// Where the words of a search occur in a run's text, as the index matches them: each word is
/// the prefix of a word of the text, regardless of case and accents.
public enum SearchSnippet {
    /// The words of a query as the index splits them (letters and digits; the rest separates).
    public static func terms(_ query: String) -> [String] {
        query.split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    public static func matches(in run: RunRecord, terms: [String], context: Int) -> [SearchMatch] {
        let fields: [(SearchMatch.Field, String?)] = [(.prompt, run.prompt), (.reply, run.content), (.system, run.system)]
        return fields.compactMap { field, text in
            text.flatMap { snippet($0, terms: terms, context: context) }.map {
                SearchMatch(field: field, before: $0.before, text: $0.text, after: $0.after)
            }
        }
    }

    /// The earliest place in `text` where a term starts a word, with `context` characters either
    /// side: line breaks flattened to `⏎`, tabs to spaces, other control characters shown as
    /// `TerminalText` shows them, so a snippet is always one harmless line.
    public static func snippet(_ text: String, terms: [String], context: Int) -> (before: String, text: String, after: String)? {
        var best: Range<String.Index>?
        for term in terms where !term.isEmpty {
            var from = text.startIndex
            while from < text.endIndex, let r = text.range(of: term, options: [.caseInsensitive, .diacriticInsensitive], range: from..<text.endIndex) {
                if let b = best, r.lowerBound >= b.lowerBound { break }
                let atWordStart = r.lowerBound == text.startIndex || {
                    let c = text[text.index(before: r.lowerBound)]
                    return !(c.isLetter || c.isNumber)
                }()
                if atWordStart {
                    best = r
                    break
                }
                from = text.index(after: r.lowerBound)
            }
        }
        guard let r = best else { return nil }
        let context = max(0, context)
        let start = text.index(r.lowerBound, offsetBy: -context, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(r.upperBound, offsetBy: context, limitedBy: text.endIndex) ?? text.endIndex
        let before = (start > text.startIndex ? "…" : "") + oneLine(text[start..<r.lowerBound])
        let after = oneLine(text[r.upperBound..<end]) + (end < text.endIndex ? "…" : "")
        return (before, oneLine(text[r]), after)
    }

    static func oneLine(_ s: Substring) -> String {
        var out = ""
        for c in s {
            switch c {
            case "\n", "\r\n", "\r", "\u{2028}", "\u{2029}": out += "⏎"
            case "\t": out += " "
            default: out.append(c)
            }
        }
        return TerminalText.visible(out)
    }
}

import Foundation

/// Fills a requested JSON shape from the user's text, field by field, the way an extraction
/// prompt asks: a value the text states, else null (or a neutral default when null is not
/// allowed). What "states" means is mechanical:
/// - an enum value that appears in the text (by stem) wins, else `other`/`unknown`, else the first;
/// - a number is the amount (money, scaled by million/billion, negative after "loss") or the
///   percentage (fields about margin, growth, rate) in the sentence sharing most words with the
///   field's name, nearest after that word;
/// - a string is `Word (Value)` after the field's word, an ISO currency code or symbol for
///   `currency`, the leading proper name for `company`, else the sentence that best matches the
///   field (one that says "no …" does not count);
/// - an array of strings collects the lines labelled with the field's word (`Agent: …`);
/// - an array of `{rule, …}` objects is the rule check (`SimRuleCheck`); a boolean stated as
///   "X is true only when Y is empty" follows Y.
struct SimSchemaFill {
    var text: String
    var prompt: String

    /// Words a field name stands for, beyond its own.
    static let synonyms: [String: [String]] = [
        "yoy": ["year"], "guidance": ["expect", "outlook", "forecast"], "qoq": ["quarter"],
    ]
    static let entityFields: Set<String> = ["company", "organization", "organisation", "vendor", "issuer", "employer"]
    static let percentWords: Set<String> = ["margin", "growth", "rate", "percent", "pct", "ratio", "share"]
    static let negations: Set<String> = ["no", "not", "none", "never", "without"]
    static let symbols: [(String, String)] = [("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY")]
    static let currencyCodes = ["USD", "EUR", "GBP", "JPY", "CNY", "CHF", "CAD", "AUD", "INR", "HKD", "SGD", "KRW"]

    func object(_ fields: [SimField]) -> SimJSON {
        var values: [(String, SimJSON)] = []
        for f in fields where f.shape != .boolean { values.append((f.name, value(f))) }
        for f in fields where f.shape == .boolean { values.append((f.name, boolean(f, values))) }
        let order = fields.map(\.name)
        return .object(values.sorted { order.firstIndex(of: $0.0)! < order.firstIndex(of: $1.0)! })
    }

    var sentences: [String] {
        let flat = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasSuffix(":") }
            .joined(separator: " ")
        return flat.components(separatedBy: ". ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func terms(_ name: String) -> Set<String> {
        let parts = name.split { $0 == "_" || $0 == "-" || $0 == " " }.map { $0.lowercased() }
        return SimWords.terms((parts + parts.flatMap { synonyms[$0] ?? [] }).joined(separator: " "))
    }

    func value(_ f: SimField) -> SimJSON {
        switch f.shape {
        case .choice(let values): return .string(choice(values))
        case .number: return number(f).map(Self.json) ?? (f.nullable ? .null : .int(0))
        case .string, .unknown: return string(f).map(SimJSON.string) ?? (f.nullable ? .null : .string(""))
        case .array(.object(let item)) where item.contains(where: { $0.name == "rule" }):
            return .array(
                SimRuleCheck(text: text).breaches.map { b in
                    .object(item.map { ($0.name, .string($0.name == "rule" ? b.rule : b.evidence)) })
                })
        case .array: return .array(labelledLines(f.name).map(SimJSON.string))
        case .object(let inner): return SimSchemaFill(text: text, prompt: prompt).object(inner)
        case .boolean: return .bool(false)
        }
    }

    func choice(_ values: [String]) -> String {
        let present = SimWords.terms(text)
        if let hit = values.first(where: { !SimWords.terms($0).isEmpty && SimWords.terms($0).isSubset(of: present) }) {
            return hit
        }
        return values.first { ["other", "unknown", "none"].contains($0.lowercased()) } ?? values.first ?? ""
    }

    /// "compliant is true only when sop_breaches is empty" — else false, the cautious answer.
    func boolean(_ f: SimField, _ filled: [(String, SimJSON)]) -> SimJSON {
        let pattern = "\\b\(NSRegularExpression.escapedPattern(for: f.name)) is true only when (\\w+) is empty"
        guard let r = prompt.range(of: pattern, options: .regularExpression) else { return .bool(false) }
        let other = prompt[r].split(separator: " ").dropLast(2).last.map(String.init) ?? ""
        guard let v = filled.first(where: { $0.0 == other })?.1 else { return .bool(false) }
        return .bool(v == .array([]))
    }

    // MARK: Strings

    func string(_ f: SimField) -> String? {
        let name = f.name.lowercased()
        if name == "currency" { return currency }
        if let labelled = parenthesized(after: Self.terms(f.name)) { return labelled }
        if Self.entityFields.contains(name) { return leadingName }
        if ["customer", "name", "person", "product"].contains(name) { return nil }
        let q = Self.terms(f.name)
        let best = sentences.map { ($0, SimWords.overlap(q, $0)) }.filter { s in
            s.1 > 0 && Set(SimWords.words(s.0)).isDisjoint(with: Self.negations)
        }
        return best.max { $0.1 < $1.1 }?.0
    }

    var currency: String? {
        for code in Self.currencyCodes where text.range(of: "\\b\(code)\\b", options: .regularExpression) != nil {
            return code
        }
        return Self.symbols.first { text.contains($0.0) }?.1
    }

    /// `Customer (Dana Lee): …` → "Dana Lee" for a field named customer.
    func parenthesized(after terms: Set<String>) -> String? {
        let regex = try! NSRegularExpression(pattern: #"([A-Za-z]+)\s*\(([A-Z][^()\n]*)\)"#)
        let ns = text as NSString
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            if terms.contains(SimWords.stem(ns.substring(with: m.range(at: 1)).lowercased())) {
                return ns.substring(with: m.range(at: 2))
            }
        }
        return nil
    }

    /// The capitalised words the text opens with ("Northwind Robotics Inc."), nil for "The …".
    var leadingName: String? {
        var out: [String] = []
        for word in sentences.first?.split(separator: " ") ?? [] {
            guard let c = word.first, c.isUppercase || c.isNumber && !out.isEmpty,
                !SimWords.stopwords.contains(word.lowercased())
            else { break }
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: ",:;"))
            out.append(trimmed)
            if word.hasSuffix(",") || word.hasSuffix(":") { break }
        }
        return out.isEmpty ? nil : out.joined(separator: " ")
    }

    /// `Agent: …` lines for a field whose name has the word agent.
    func labelledLines(_ name: String) -> [String] {
        let terms = Self.terms(name)
        return text.split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let label = line[..<colon].split(separator: " ").first.map(String.init) ?? ""
            guard terms.contains(SimWords.stem(label.lowercased())) else { return nil }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    // MARK: Numbers

    struct Figure {
        var value: Decimal
        var range: Range<String.Index>
    }

    func number(_ f: SimField) -> Decimal? {
        let q = Self.terms(f.name)
        let percent = !q.isDisjoint(with: Set(Self.percentWords.map(SimWords.stem)))
        let candidates = sentences.compactMap { s -> (String, Int, [Figure])? in
            let figures = percent ? Self.percentages(s) : Self.amounts(s)
            let score = SimWords.overlap(q, s)
            return figures.isEmpty || score == 0 ? nil : (s, score, figures)
        }
        guard let (s, _, figures) = candidates.max(by: { $0.1 < $1.1 }) else { return nil }
        let words = SimWords.words(s)
        let anchorWord = words.first { q.contains(SimWords.stem($0)) } ?? ""
        let anchor = s.range(of: anchorWord, options: .caseInsensitive)?.upperBound ?? s.startIndex
        let figure = figures.first { $0.range.lowerBound >= anchor } ?? figures[0]
        let between = SimWords.words(String(s[min(anchor, figure.range.lowerBound)..<figure.range.lowerBound]))
        let negative = between.contains { ["loss", "losses", "deficit", "negative"].contains($0) }
        return negative ? -figure.value : figure.value
    }

    static func amounts(_ s: String) -> [Figure] {
        let pattern = #"([$€£¥]\s?)?(\d+(?:\.\d+)?)\s*(million|billion|thousand|bn)?\b"#
        return figures(s, pattern) { m, ns in
            let hasSymbol = m.range(at: 1).location != NSNotFound
            let scale = m.range(at: 3).location != NSNotFound ? ns.substring(with: m.range(at: 3)).lowercased() : ""
            guard hasSymbol || !scale.isEmpty else { return nil }
            guard let n = Decimal(string: ns.substring(with: m.range(at: 2))) else { return nil }
            let factor: Decimal =
                ["million": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000, "thousand": 1000][scale] ?? 1
            return n * factor
        }
    }

    static func percentages(_ s: String) -> [Figure] {
        figures(s, #"(\d+(?:\.\d+)?)\s*(%|percent\b)"#) { m, ns in Decimal(string: ns.substring(with: m.range(at: 1))) }
    }

    static func figures(_ s: String, _ pattern: String, _ value: (NSTextCheckingResult, NSString) -> Decimal?)
        -> [Figure]
    {
        let ns = s as NSString
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: s, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            guard let v = value(m, ns), let r = Range(m.range, in: s) else { return nil }
            return Figure(value: v, range: r)
        }
    }

    static func json(_ d: Decimal) -> SimJSON {
        let n = NSDecimalNumber(decimal: d)
        if SimWords.isWhole(n.doubleValue), d == Decimal(n.intValue) { return .int(n.intValue) }
        return .double(Double(n.stringValue) ?? n.doubleValue)
    }
}

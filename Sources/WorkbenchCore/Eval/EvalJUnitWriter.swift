import Foundation

/// `--junit FILE`: JUnit XML for CI — a testsuite per variant, a testcase per case, a
/// `<failure>` with every failing assertion's reason, an `<error>` for a run that failed, and
/// `<skipped>` for cells skipped by the budget or unscored (no verdict is neither a pass nor a
/// failure; the message says which). Everything is XML-escaped and characters XML 1.0 forbids
/// (most C0 controls) are removed, so a hostile model output cannot break the file.
public enum EvalJUnitWriter {
    public static func xml(_ r: EvalReport) -> String {
        let summaries = r.summaries
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let tests = summaries.reduce(0) { $0 + $1.total }
        let failures = summaries.reduce(0) { $0 + $1.failed }
        let errors = summaries.reduce(0) { $0 + $1.errors }
        let skipped = summaries.reduce(0) { $0 + $1.skipped + $1.unscored }
        out += "<testsuites name=\"\(attr("glmwb eval " + r.template))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\">\n"
        for (v, s) in zip(r.variants, summaries) {
            let groups = r.cases.compactMap { $0.group(v.id) }
            let seconds = groups.flatMap(\.runs).compactMap(\.latencyMs).reduce(0, +) / 1000
            out += "  <testsuite name=\"\(attr("\(r.template) [\(v.label)]"))\" id=\"\(attr(v.id))\" tests=\"\(s.total)\" failures=\"\(s.failed)\" errors=\"\(s.errors)\" skipped=\"\(s.skipped + s.unscored)\" time=\"\(time(seconds))\">\n"
            out += "    <properties>\n"
            out += "      <property name=\"eval_id\" value=\"\(attr(r.evalId))\"/>\n"
            out += "      <property name=\"variant\" value=\"\(attr(v.label))\"/>\n"
            out += "      <property name=\"cost_usd\" value=\"\(EvalDecimal.plain(s.costUSD))\"/>\n"
            out += "    </properties>\n"
            for g in groups {
                let secs = g.runs.compactMap(\.latencyMs).reduce(0, +) / 1000
                out += "    <testcase name=\"\(attr(g.caseName))\" classname=\"\(attr(r.template + "." + v.id))\" time=\"\(time(secs))\""
                let body = testcaseBody(g)
                out += body.isEmpty ? "/>\n" : ">\n" + body + "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    static func testcaseBody(_ g: EvalCellGroup) -> String {
        let summary = g.total > 1 ? "\(g.passed)/\(g.total) passed (threshold \(g.threshold))" + (g.isFlaky ? ", flaky" : "") + ": " : ""
        let reason = g.reason ?? ""
        switch g.status {
        case .pass:
            return ""
        case .fail:
            let lines = g.runs.flatMap { run in
                run.assertions.filter { $0.verdict == .fail }.map { (g.total > 1 ? "repeat \(run.repeatIndex + 1): " : "") + "\($0.type): \($0.reason)" }
            }
            return "      <failure type=\"assertion\" message=\"\(attr(summary + reason))\">\(text(lines.joined(separator: "\n")))</failure>\n" + output(g)
        case .error:
            return "      <error type=\"run\" message=\"\(attr(summary + reason))\"/>\n"
        case .unscored:
            return "      <skipped message=\"\(attr("unscored: " + summary + reason))\"/>\n" + output(g)
        case .skipped:
            return "      <skipped message=\"\(attr("skipped: " + summary + reason))\"/>\n"
        }
    }

    /// The first run's output, so a CI page shows what the model said.
    static func output(_ g: EvalCellGroup) -> String {
        guard let o = g.runs.first(where: { !$0.output.isEmpty })?.output else { return "" }
        return "      <system-out>\(text(o))</system-out>\n"
    }

    static func time(_ s: Double) -> String { String(format: "%.3f", s.isFinite ? s : 0) }

    /// Element text: `&`, `<`, `>` escaped, forbidden characters removed.
    public static func text(_ s: String) -> String { escape(s, attribute: false) }

    /// Attribute values: quotes escaped too, and line breaks kept as character references
    /// (a literal newline in an attribute is normalised to a space by XML parsers).
    public static func attr(_ s: String) -> String { escape(s, attribute: true) }

    static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&apos;"
            case "\n" where attribute: out += "&#10;"
            case "\r" where attribute: out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            default:
                if isAllowedInXML(u) { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// XML 1.0's Char production: tab, LF, CR, and U+0020 and up except U+FFFE/U+FFFF.
    /// (Surrogates cannot occur in a Swift string.) C1 controls are allowed by XML but are
    /// removed too: they are never meant as text and some tools choke on them.
    static func isAllowedInXML(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v == 0x9 || v == 0xA || v == 0xD { return true }
        if v < 0x20 || v == 0xFFFE || v == 0xFFFF { return false }
        if (0x7F...0x9F).contains(v) { return false }
        return true
    }
}

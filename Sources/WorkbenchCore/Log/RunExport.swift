import Foundation

/// Takes runs out of the log: JSONL (the same object `glmwb run --json` prints), Markdown for
/// reading, and a `curl` command that replays the exact request with the key read from the
/// environment, never inlined.
public enum RunExport {
    public enum Format: String, CaseIterable, Sendable { case jsonl, md, curl }

    public static func jsonl(_ runs: [RunRecord]) -> String {
        runs.map { RunRecordJSON.object($0).canonicalText + "\n" }.joined()
    }

    public static func markdown(_ runs: [RunRecord]) -> String {
        var out = ""
        for r in runs {
            out += "## Run \(r.id)\n\n"
            out += "- provider: \(r.provider) (\(r.baseUrl))\n- model: \(r.model)\n- mode: \(r.mode.rawValue)\n"
            out += "- status: \(r.status.rawValue)" + (r.finishReason.map { ", finish \($0)" } ?? "") + "\n"
            out += "- started: \(ISO8601DateFormatter().string(from: r.startedAt))\n"
            out += "- \(RunSummary.line(r))\n"
            if let t = r.templateName {
                out += "- template: \(t)\n"
                for (k, v) in (r.templateVars.flatMap { JSONValue.parse($0)?.objectValue } ?? [:]).sorted(by: { $0.key < $1.key }) {
                    out += "  - \(k) = `\((v.stringValue ?? v.canonicalText).replacingOccurrences(of: "\n", with: " ⏎ "))`\n"
                }
            }
            out += "\n"
            if let req = try? JSONDecoder().decode(ChatRequest.self, from: Data(r.requestJson.utf8)) {
                for m in req.messages {
                    out += "### \(m.role.rawValue)\n\n\(m.content ?? "")\n\n"
                    for tc in m.toolCalls ?? [] { out += "Tool call `\(tc.function.name)`: `\(tc.function.arguments)`\n\n" }
                }
            }
            out += "### assistant (reply)\n\n\(r.content)\n\n"
            for tc in r.decodedToolCalls {
                out += "Tool call `\(tc.function.name)` (id `\(tc.id)`):\n\n```json\n\(JSONValue.parse(tc.function.arguments)?.prettyText ?? tc.function.arguments)\n```\n\n"
            }
            if let e = r.error { out += "> **Error:** \(e.summary)\n\n" }
        }
        return out
    }

    /// A shell command that sends the run's request again. The key comes from the variable the
    /// provider uses, so the export can be shared.
    public static func curl(_ r: RunRecord) -> String {
        let url = r.baseUrl.hasSuffix("/") ? r.baseUrl + "chat/completions" : r.baseUrl + "/chat/completions"
        var lines = ["curl -sS -N \(shellQuote(url))", "  -H 'Content-Type: application/json'"]
        switch r.provider {
        case "zai": lines.append("  -H \"Authorization: Bearer $ZAI_API_KEY\"")
        case "local", "sim": break
        default: lines.append("  -H \"Authorization: Bearer $OPENAI_API_KEY\"")
        }
        lines.append("  -d \(shellQuote(r.requestJson))")
        return lines.joined(separator: " \\\n") + "\n"
    }

    static func shellQuote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

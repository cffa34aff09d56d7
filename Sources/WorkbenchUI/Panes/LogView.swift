import WorkbenchCore

/// The structured log, side by side with the conversation: the request exactly as sent (the key
/// is never in the body), the parsed final message (JSON-mode replies pretty-printed or marked
/// invalid), and the raw event timeline with offsets and sizes.
enum LogView {
    /// Everything above the events: the title, the request and the reply.
    static func headerLines(_ run: RunState, width: Int) -> [StyledLine] {
        titleLines(run, width: width) + requestLines(run, width: width) + messageLines(run, width: width)
    }

    /// The run's id, status, provider and template.
    static func titleLines(_ run: RunState, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        func line(_ s: String, _ st: Style) { out += TextWrap.wrap(plain: s, width: width, style: st) }
        let status = run.result?.status.rawValue ?? "running"
        line("run \(run.runId) · \(run.mode == .stream ? "stream" : "non-stream") · \(status)", Style(.title, bold: true))
        line("\(run.provider) · \(run.model)", Style(.dim))
        if let id = run.result?.responseId { line("server id \(TerminalText.visible(id))", Style(.dim)) }
        if let t = run.templateName {
            line("template \(t)", Style(.accent, bold: true))
            for (k, v) in (run.templateVariables ?? [:]).sorted(by: { $0.key < $1.key }) {
                let one = v.replacingOccurrences(of: "\n", with: " ⏎ ")
                line("  \(k) = \(one.count > 120 ? String(one.prefix(120)) + "…" : one)", Style(.text))
            }
        }
        return out
    }

    /// The request as sent, pretty-printed. It never changes once the run starts, and it holds
    /// the whole history, so it is laid out once per run and width (`render` caches it apart):
    /// re-laying it on every frame of a stream made each reply cost more than the one before.
    /// A long one is shown as its preview (`RunState.preview(of:)`), made when the run started.
    static func requestLines(_ run: RunState, width: Int) -> [StyledLine] {
        let pretty = run.requestPreview ?? JSONValue.parse(run.requestJSON)?.prettyText ?? run.requestJSON
        let cut = run.requestPreview == nil ? "" : "; long texts cut"
        let head = "── request (as sent; no key\(cut)) ──"
        return TextWrap.wrap(plain: head, width: width, style: Style(.accent))
            + TextWrap.wrap(plain: pretty, width: width, style: Style(.code))
    }

    /// The reply (once the run ended), its finish and usage, timings and the events' heading.
    static func messageLines(_ run: RunState, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        func line(_ s: String, _ st: Style) { out += TextWrap.wrap(plain: s, width: width, style: st) }
        if let r = run.result, !r.reasoning.isEmpty {
            // A thinking model's reasoning, as the log keeps it: apart from the message, above it.
            let tokens = r.usage.reasoningTokens.map { " (\($0) reasoning tokens reported)" } ?? ""
            line("── thinking\(tokens) ──", Style(.accent))
            line(r.reasoning, Style(.dim))
        }
        line("── message ──", Style(.accent))
        if let r = run.result {
            if r.content.isEmpty && r.toolCalls.isEmpty { line("(empty)", Style(.dim)) }
            if !r.content.isEmpty {
                if run.jsonMode {
                    if let v = JSONValue.parse(r.content) {
                        line("✔ valid JSON", Style(.success))
                        line(v.prettyText, Style(.code))
                    } else {
                        line("✖ JSON mode, but the reply does not parse as JSON", Style(.error, bold: true))
                        line(r.content, Style(.text))
                    }
                } else {
                    line(r.content, Style(.text))
                }
            }
            for c in r.toolCalls { line("tool call \(c.function.name) \(c.id): \(c.function.arguments)", Style(.tool)) }
            line("finish: \(r.finishReason ?? "-") · usage \(run.figures.tokensText) (\(r.usageSource.rawValue))", Style(.dim))
            for a in r.retries { line("retried after: " + a.summary, Style(.warning)) }
            for a in r.anomalies { line("⚠ " + a, Style(.warning)) }
            if let e = r.error { line("error: \(e.summary)", Style(.error)) }
        } else {
            line("(streaming…)", Style(.dim))
        }
        line(timingLine(run.figures), Style(.dim))
        let count = run.timelineReleased ? "kept in the log" : "\(run.timeline.count)"
        line("── events (\(count)) ──", Style(.accent))
        return out
    }

    /// The run's timings and counts, each "—" when unknown: first byte, TTFT, last token,
    /// total, chunks, speed.
    static func timingLine(_ f: RunFigures) -> String {
        var parts = ["first byte " + RunFigures.ms(f.firstByteMs), f.ttftText, "last token " + RunFigures.ms(f.lastTokenMs), f.totalText]
        if let c = f.chunksText { parts.append(c) }
        parts.append(f.speedText)
        return parts.joined(separator: " · ")
    }

    /// A failed log write, in full, above whatever run is selected: the status line has room for
    /// only the start of the message, and the user must be able to read what the disk or the
    /// database said. The conversation is untouched, so the reply itself is never lost.
    static func failureLines(_ message: String, width: Int) -> [StyledLine] {
        let rows: [(String, Style)] = [
            ("✖ the run log could not be written", Style(.error, bold: true)),
            ("  " + message, Style(.error)),
            ("  This run is not saved (or only in part): glmwb logs will not show it as it happened. Its reply stays in the conversation. Later runs may not be saved either until the cause is fixed.", Style(.text)),
        ]
        return rows.flatMap { TextWrap.wrap(plain: $0.0, width: width, style: $0.1) } + [StyledLine([])]
    }

    static func eventLine(_ e: TimelineEntry) -> StyledLine {
        var text = String(format: "%9.1f ms  #%-5d %5d B", e.offsetMs, e.seq, e.bytes)
        var spans = [StyledSpan(text: text, style: Style(.dim))]
        if let d = e.delta {
            text = "  " + d.replacingOccurrences(of: "\n", with: "⏎")
            spans.append(StyledSpan(text: text, style: Style(.text)))
        }
        return StyledLine(spans)
    }

    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        let failure = s.logWriteFailure.map { failureLines($0, width: r.width) } ?? []
        guard let run = s.selectedRun else {
            for (i, line) in failure.enumerated() where i < r.height { line.draw(into: &g, x: r.x, y: r.y + i, limit: r.width) }
            if failure.count < r.height { g.put("No runs yet", x: r.x, y: r.y + failure.count, style: Style(.dim), limit: r.width) }
            return
        }
        // One cache entry each for the selected run's request and message (the id is fixed, the
        // run is in the version): a long conversation's runs all carry its history, and keeping
        // every run's laid-out request would grow with the square of the conversation.
        let runKey = run.runId.hashValue
        let progress = run.result == nil ? run.timeline.count : -1
        let title = titleLines(run, width: r.width)
        let request = s.layoutCache.lines(id: "log-request", version: runKey, width: r.width) {
            requestLines(run, width: r.width)
        }
        let message = s.layoutCache.lines(id: "log-message", version: runKey &* 31 &+ progress, width: r.width) {
            messageLines(run, width: r.width)
        }
        // The parts are drawn where they are: joining them into one array on every frame copied
        // the whole laid-out request (a long conversation's history) sixty times a second.
        let parts = [failure, title, request, message]
        let headCount = parts.reduce(0) { $0 + $1.count }
        let total = headCount + run.timeline.count
        let maxTop = max(0, total - r.height)
        let top = min(s.logScroll.top, maxTop)
        var y = r.y
        var i = top
        var part = 0, start = 0
        while y < r.maxY, i < total {
            while part < parts.count, i >= start + parts[part].count {
                start += parts[part].count
                part += 1
            }
            let line = part < parts.count ? parts[part][i - start] : eventLine(run.timeline[i - headCount])
            line.draw(into: &g, x: r.x, y: y, limit: r.width)
            y += 1
            i += 1
        }
        LineList.scrollbar(total: total, top: top, in: r, into: &g)
    }
}

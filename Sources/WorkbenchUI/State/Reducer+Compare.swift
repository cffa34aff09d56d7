import Foundation
import WorkbenchCore

extension AppState {
    /// Ctrl-K: compare the prompt in the editor (or the last one sent) streamed and non-streamed.
    /// With an empty editor it compares the last request exactly as it was sent (history,
    /// template parameters and tools included).
    mutating func beginCompare(sequential: Bool = false, repeats: Int = 1, deterministic: Bool = false) -> [Effect] {
        guard !isRunning else { statusMessage = "a request is running (Esc cancels it)"; return [] }
        if editor.isEmpty, let last = lastSentRequest() {
            guard budgetAllowsSend() else { return [] }
            var request = last
            request.stream = nil
            if deterministic { makeDeterministic(&request) }
            return [.compareRequest(request, sequential: sequential, repeats: repeats)]
        }
        guard !editor.isEmpty else {
            statusMessage = "nothing to compare: type a prompt first (Ctrl-K sends it both ways)"
            return []
        }
        guard budgetAllowsSend() else { return [] }
        var p = parameters
        if deterministic {
            let d = Determinism.settings(glmRules: pricing.servesGLM)
            d.apply(to: &p)
            statusMessage = "deterministic: sent " + d.note
        }
        return [.compare(text: editor.text, system: system, parameters: p, sequential: sequential, repeats: repeats)]
    }

    /// The request of the first run answering the last user turn, as logged.
    func lastSentRequest() -> ChatRequest? {
        guard let u = turns.lastIndex(where: { $0.kind == .user }),
              let runId = turns[u...].first(where: { $0.kind == .assistant && $0.runId != nil })?.runId,
              let view = runs.first(where: { $0.runId == runId }) else { return nil }
        return view.sentRequest()
    }

    mutating func compareStarted(_ request: ChatRequest, sequential: Bool, repeats: Int, at date: Date) {
        var c = CompareState(request: request, sequential: sequential, repeats: repeats, startedAt: date)
        c.collector.glmRules = pricing.servesGLM
        overlay = .compare(c)
        statusMessage = "comparing: streamed and non-streamed" + (sequential ? ", one after the other" : ", at the same time")
    }

    mutating func compareEvents(_ batches: [CompareBatch]) {
        guard case .compare(var c) = overlay else { return }
        c.add(batches)
        for b in batches { for e in b.events { if let r = e.result { countCost(r) } } }
        if c.done >= c.total {
            c.running = false
            if let r = c.report { statusMessage = r.verdict }
        }
        overlay = .compare(c)
    }

    /// A comparison's runs have all ended: a finished one still on screen is stored in the log
    /// (one closed while running was cancelled, and is not).
    mutating func compareFinished(_ request: ChatRequest) -> [Effect] {
        guard case .compare(let c) = overlay else { return [] }
        guard let stored = c.collector.stored(for: request, conversationId: conversationId, createdAt: now) else {
            return []
        }
        return [.storeComparison(stored)]
    }

    mutating func handleCompareKey(_ key: Key, _ c: inout CompareState) -> [Effect] {
        switch key {
        case .escape:
            overlay = nil
            // The verdict describes the view; it must not outlive it on the status line.
            if let verdict = c.report?.verdict, statusMessage == verdict { statusMessage = nil }
            return c.running ? [.cancelAll] : []
        case .up: c.scroll = max(0, c.scroll - 1)
        case .down: c.scroll += 1
        case .pageUp: c.tableScroll = max(0, c.tableScroll - 5)
        case .pageDown: c.tableScroll += 5
        case .char("r") where !c.running:
            overlay = nil
            return rerun(c, deterministic: c.request.doSample == false)
        case .char("d") where !c.running:
            overlay = nil
            return rerun(c, deterministic: true)
        case .char("s") where !c.running:
            c.sequential.toggle()
            statusMessage = c.sequential ? "next run: sequential (r reruns)" : "next run: concurrent (r reruns)"
        case .char("n") where !c.running:
            c.repeats = [1, 3, 5][(([1, 3, 5].firstIndex(of: c.repeats) ?? 0) + 1) % 3]
            statusMessage = "next run: each mode \(c.repeats)× (r reruns)"
        default: break
        }
        overlay = .compare(c)
        return []
    }

    private mutating func rerun(_ c: CompareState, deterministic: Bool) -> [Effect] {
        guard budgetAllowsSend() else { return [] }
        var request = c.request
        if deterministic { makeDeterministic(&request) }
        return [.compareRequest(request, sequential: c.sequential, repeats: c.repeats)]
    }

    /// Greedy decoding the way this provider honours it; the status says what was sent.
    private mutating func makeDeterministic(_ request: inout ChatRequest) {
        let d = Determinism.settings(glmRules: pricing.servesGLM)
        d.apply(to: &request)
        statusMessage = "deterministic: sent " + d.note
    }
}

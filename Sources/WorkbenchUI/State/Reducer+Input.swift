import Foundation
import WorkbenchCore

extension AppState {
    mutating func handle(_ input: InputEvent) -> [Effect] {
        switch input {
        case .resize(let w, let h):
            width = w
            height = h
            return []
        case .mouse(let m):
            return handleMouse(m)
        case .key(let key):
            if overlay != nil { return handleOverlayKey(key) }
            if evalView != nil { return handleEvalKey(key) }
            if let action = Action.byKey[key] { return perform(action) }
            // Alt-N shows pane N, whatever has focus: the numbered tabs of a narrow terminal
            // (plain digits are text wherever typing goes).
            if case .alt(let c) = key, let n = c.wholeNumberValue, PaneID.allCases.indices.contains(n - 1) {
                focus = PaneID.allCases[n - 1]
                return []
            }
            return handlePaneKey(key)
        }
    }

    private mutating func handleMouse(_ m: MouseEvent) -> [Effect] {
        if evalView != nil {
            if overlay == nil, m.kind == .wheelUp || m.kind == .wheelDown {
                scrollEvalView(by: m.kind == .wheelUp ? -3 : 3)
            }
            return []
        }
        let layout = ScreenLayout.compute(self)
        if let tabs = layout.tabs, tabs.contains(x: m.x, y: m.y), m.kind == .press {
            if let pane = Tabs.pane(at: m.x, width: width, focus: focus) { focus = pane }
            return []
        }
        guard let pane = layout.pane(at: m.x, m.y) else { return [] }
        switch m.kind {
        case .press:
            if overlay == nil { focus = pane }
        case .wheelUp:
            scroll(pane, by: -3)
        case .wheelDown:
            scroll(pane, by: 3)
        default:
            break
        }
        return []
    }

    mutating func perform(_ action: Action) -> [Effect] {
        switch action {
        case .send:
            return send()
        case .cancel:
            if let id = activeRunId { return [.cancelRun(id)] }
            if loopRunning { statusMessage = "stopping the tool loop"; return [.cancelAll] }
            if let draft = editingSystem {
                editingSystem = nil
                editor.text = draft
                statusMessage = "system prompt unchanged"
            } else if editingTurn != nil {
                editingTurn = nil
                statusMessage = "edit cancelled"
            } else if focus == .templates, !templateFilter.isEmpty {
                templateFilter = ""
                templateSelection = 0
            }
            return []
        case .toggleStream:
            stream.toggle()
            statusMessage = stream ? "streaming on" : "streaming off (one JSON body per reply)"
            return []
        case .newConversation:
            if let id = activeRunId { statusMessage = "cancelling the running request first"; return [.cancelRun(id), .newConversation(system: system)] }
            turns = []
            trace = []
            runs = []
            totals.conversationUSD = 0
            totals.conversationWouldCost = 0
            editingTurn = nil
            conversationScroll = Scroll()
            return [.newConversation(system: system)]
        case .regenerate:
            guard !isRunning else { statusMessage = "a request is running (Esc cancels it)"; return [] }
            guard let k = userTurnOrdinals.last else { statusMessage = "nothing to regenerate yet"; return [] }
            guard budgetAllowsSend() else { return [] }
            return resend(userTurn: k, text: turns[k.index].text)
        case .editLastTurn:
            guard let k = userTurnOrdinals.last else { statusMessage = "no earlier prompt to edit"; return [] }
            beginEdit(k.ordinal)
            return []
        case .editEarlierTurn:
            let items = userTurnOrdinals.map { (id: String($0.ordinal), label: "#\($0.ordinal + 1)  " + turns[$0.index].text.replacingOccurrences(of: "\n", with: " ")) }
            if items.isEmpty { statusMessage = "no earlier prompt to edit"; return [] }
            var p = PickerState(purpose: .editTurn, title: "Edit and resend which prompt?", items: items)
            p.selection = items.count - 1
            overlay = .picker(p)
            return []
        case .parameters:
            overlay = .parameters(ParameterForm(parameters: parameters, model: model))
            return []
        case .toggleJSONMode:
            parameters.jsonMode.toggle()
            statusMessage = parameters.jsonMode ? "JSON mode on (response_format json_object)" : "JSON mode off"
            return []
        case .switchProvider:
            var picker = PickerState(purpose: .provider, title: "Switch provider", items: providerNames.map { (id: $0, label: $0 == providerName ? "\($0) (current)" : $0) })
            picker.selection = providerNames.firstIndex(of: providerName) ?? 0
            overlay = .picker(picker)
            return []
        case .resume:
            return [.listConversations]
        case .copyLastReply:
            guard let t = turns.last(where: { $0.kind == .assistant && !$0.text.isEmpty }) else { statusMessage = "no reply to copy"; return [] }
            statusMessage = "copied the last reply (\(t.text.count) characters)"
            return [.copy(t.text)]
        case .toggleTools:
            guard !toolCatalog.isEmpty || offerCatalogTools else {
                statusMessage = "no tools declared: add them to \(paths.shown(paths.toolsFile))"
                return []
            }
            offerCatalogTools.toggle()
            statusMessage = offerCatalogTools
                ? "typed prompts now offer \(toolCatalog.map(\.name).joined(separator: ", ")) and run the tool loop"
                : "typed prompts offer no tools"
            return []
        case .toggleWebSearch:
            var tools = parameters.tools ?? []
            if tools.contains(where: { $0.type == "web_search" }) {
                tools.removeAll { $0.type == "web_search" }
                statusMessage = "web search off"
            } else {
                tools.append(.webSearch)
                statusMessage = "web search on: Z.AI may search before answering ($0.01 per search); results show in the trace"
            }
            parameters.tools = tools.isEmpty ? nil : tools
            return []
        case .export:
            guard !runs.isEmpty else { statusMessage = "nothing to export yet"; return [] }
            return [.exportConversation(conversationId)]
        case .copyPicker:
            let items = CopyTargets.items(turns)
            guard !items.isEmpty else { statusMessage = "nothing to copy yet"; return [] }
            var p = PickerState(purpose: .copy, title: "Copy to the clipboard (type to filter)", items: items)
            p.selection = items.count - 1
            overlay = .picker(p)
            return []
        case .templates:
            focus = .templates
            statusMessage = "type to filter templates; Enter opens one"
            return []
        case .saveAsTemplate:
            beginSaveAsTemplate()
            return []
        case .compare:
            return beginCompare()
        case .budget:
            var p = TextPrompt(purpose: .budget, title: "Session budget in USD (empty: none)")
            p.text = budgetUSD.map { "\($0)" } ?? ""
            overlay = .textPrompt(p)
            return []
        case .overBudgetOnce:
            budgetOverrideOnce = true
            statusMessage = "the next request may go over the budget"
            return []
        case .toolApproval:
            let all = ApprovalPolicy.allCases
            approvalPolicy = all[((all.firstIndex(of: approvalPolicy) ?? 0) + 1) % all.count]
            statusMessage = "tool calls that run something: " + ["ask": "ask each time", "all": "always allowed", "none": "never allowed (the model is told)"][approvalPolicy.rawValue]!
            return []
        case .toggleSendCancelled:
            return toggleSendCancelledReplies()
        case .editSystem:
            beginEditSystem()
            return []
        case .evaluate:
            return openEvaluation()
        case .toggleThinking:
            guard let i = turns.lastIndex(where: { $0.kind == .assistant && !$0.reasoning.isEmpty }) else {
                statusMessage = "no reply with thinking yet (thinking models such as GLM-4.5 send it)"
                return []
            }
            turns[i].thinkingOpen = !turns[i].showsThinking
            turns[i].version += 1
            return []
        case .help:
            overlay = .help
            return []
        case .palette:
            overlay = .palette(PaletteState())
            return []
        case .focusNext, .focusPrevious:
            let order = PaneID.allCases
            let i = order.firstIndex(of: focus) ?? 0
            focus = order[(i + (action == .focusNext ? 1 : order.count - 1)) % order.count]
            return []
        case .suspend:
            return [.suspend]
        case .quit:
            // The runtime cancels every run and tool loop and waits (briefly) for the log to
            // record them as cancelled before it lets go of the terminal; say so meanwhile.
            quitting = true
            if isRunning { statusMessage = "quitting: cancelling the run and saving it to the log…" }
            // The unsent prompt is kept for the next start (Reducer+Draft).
            return (activeRunId.map { [.cancelRun($0)] } ?? []) + saveDraftEffects() + [.quit]
        }
    }

    /// User turns with their position in `turns` and their ordinal among user turns.
    var userTurnOrdinals: [(index: Int, ordinal: Int)] {
        var out: [(Int, Int)] = []
        for (i, t) in turns.enumerated() where t.kind == .user { out.append((i, out.count)) }
        return out.map { (index: $0.0, ordinal: $0.1) }
    }

    mutating func beginEdit(_ ordinal: Int) {
        guard let k = userTurnOrdinals.first(where: { $0.ordinal == ordinal }) else { return }
        editor.text = turns[k.index].text
        editingTurn = ordinal
        focus = .editor
        statusMessage = "editing prompt #\(ordinal + 1): Ctrl-S resends it and replaces the turns after it; Esc leaves"
    }

    private mutating func send() -> [Effect] {
        if editingSystem != nil { keepSystemPrompt(); return [] }
        guard !isRunning else { statusMessage = "a request is running (Esc cancels it)"; return [] }
        guard !editor.isEmpty else { statusMessage = "nothing to send: type a prompt first"; return [] }
        guard budgetAllowsSend() else { return [] }
        let text = editor.take()
        if let k = editingTurn, let u = userTurnOrdinals.first(where: { $0.ordinal == k }) {
            editingTurn = nil
            return resend(userTurn: u, text: text)
        }
        startTurn(text)
        return [.startTurn(typedTurn(text, rewind: nil))]
    }

    private mutating func resend(userTurn k: (index: Int, ordinal: Int), text: String) -> [Effect] {
        // The session counts only the prompts its history holds (see historyUserTurns).
        let rewind = historyUserTurns(before: k.index)
        turns.removeSubrange(k.index...)
        startTurn(text)
        return [.startTurn(typedTurn(text, rewind: rewind))]
    }

    /// The order for a typed prompt: the conversation's system prompt and parameters, and the
    /// tools file's tools when the palette offers them.
    func typedTurn(_ text: String, rewind: Int?) -> TurnOrder {
        TurnOrder(input: .prompt(text, parameters), system: system, mode: stream ? .stream : .nonStream, rewindToUserTurn: rewind,
                  tools: offerCatalogTools ? toolCatalog : [], sendsCancelledReplies: sendCancelledReplies)
    }

    /// The order for a rendered template: its own system prompt, tools and MCP servers.
    func templateTurn(_ r: RenderedTemplate) -> TurnOrder {
        TurnOrder(input: .template(r), system: r.system, mode: templateMode(r), tools: r.tools, mcpServers: r.mcpServers,
                  sendsCancelledReplies: sendCancelledReplies)
    }

    mutating func startTurn(_ text: String) {
        turns.append(Turn(id: nextTurnId(), kind: .user, text: text))
        var reply = Turn(id: nextTurnId(), kind: .assistant, text: "")
        reply.streaming = true
        turns.append(reply)
        conversationScroll = Scroll()
        logRunIndex = nil
        statusMessage = nil
    }

    // MARK: Pane keys

    private mutating func handlePaneKey(_ key: Key) -> [Effect] {
        // The editor and the templates pane (type to filter) take every printable key. In the
        // other panes `?` is help, `q` quits when there is no draft to lose, and any other
        // printable key the pane does not bind is typed into the editor (Reducer+Draft).
        if focus != .editor && focus != .templates {
            if key == .char("?") { overlay = .help; return [] }
            if key == .char("q"), editor.isEmpty { return perform(.quit) }
            if typesIntoEditor(key, in: focus) { focus = .editor }
        }
        switch focus {
        case .editor:
            switch key {
            case .char(let c): editor.insert(String(c))
            case .paste(let s): editor.insert(s)
            case .enter: editor.newline()
            case .backspace: editor.backspace()
            case .delete: editor.delete()
            case .left: editor.left()
            case .right: editor.right()
            case .up: editor.up(width: ScreenLayout.editorWidth(self))
            case .down: editor.down(width: ScreenLayout.editorWidth(self))
            case .home: editor.home(width: ScreenLayout.editorWidth(self))
            case .end: editor.end(width: ScreenLayout.editorWidth(self))
            case .ctrl("u"): editor.deleteToLineStart()
            default: break
            }
        case .conversation:
            switch key {
            case .up: scroll(.conversation, by: -1)
            case .down: scroll(.conversation, by: 1)
            case .pageUp: scroll(.conversation, by: -pageHeight(.conversation))
            case .pageDown: scroll(.conversation, by: pageHeight(.conversation))
            case .home: conversationScroll = Scroll(top: 0, follow: false)
            case .end: conversationScroll = Scroll()
            default: break
            }
        case .templates:
            return handleTemplatesPaneKey(key)
        case .trace:
            switch key {
            case .up:
                traceSelection = max(0, traceSelection - 1)
                traceScroll = 0
            case .down:
                traceSelection = min(max(0, trace.count - 1), traceSelection + 1)
                traceScroll = 0
            case .pageDown: scrollTrace(by: pageHeight(.trace))
            case .pageUp: scrollTrace(by: -pageHeight(.trace))
            case .enter, .char(" "):
                if trace.indices.contains(traceSelection) { trace[traceSelection].expanded.toggle() }
                traceScroll = 0
            case .char("e"):
                beginEditToolResult()
            default: break
            }
        case .log:
            switch key {
            case .up: scroll(.log, by: -1)
            case .down: scroll(.log, by: 1)
            case .pageUp: scroll(.log, by: -pageHeight(.log))
            case .pageDown: scroll(.log, by: pageHeight(.log))
            case .home: logScroll = Scroll(top: 0, follow: false)
            case .char("["):
                if !runs.isEmpty { logRunIndex = max(0, (logRunIndex ?? runs.count - 1) - 1); logScroll = Scroll(top: 0, follow: false) }
                return loadSelectedTimeline()
            case .char("]"):
                if let i = logRunIndex { logRunIndex = i + 1 >= runs.count ? nil : i + 1; logScroll = Scroll(top: 0, follow: false) }
                return loadSelectedTimeline()
            default: break
            }
        }
        return []
    }

    /// Scrolls the trace's lines (an expanded call can be longer than the pane).
    mutating func scrollTrace(by delta: Int) {
        guard let inner = ScreenLayout.compute(self).inner(.trace) else { return }
        traceScroll = TraceView.scrolled(self, by: delta, width: inner.width, height: inner.height)
    }

    func pageHeight(_ pane: PaneID) -> Int {
        max(1, (ScreenLayout.compute(self).inner(pane)?.height ?? 10) - 1)
    }

    mutating func scroll(_ pane: PaneID, by delta: Int) {
        switch pane {
        case .conversation:
            let layout = ScreenLayout.compute(self)
            guard let inner = layout.inner(.conversation) else { return }
            let total = ConversationView.lineCount(self, width: inner.width)
            let maxTop = max(0, total - inner.height)
            let current = conversationScroll.follow ? maxTop : min(conversationScroll.top, maxTop)
            let top = min(maxTop, max(0, current + delta))
            conversationScroll = Scroll(top: top, follow: top >= maxTop)
        case .log:
            logScroll.top = max(0, logScroll.top + delta)
            logScroll.follow = false
        case .templates:
            // The wheel moves through the same rows as ↑↓: the good templates, then the broken ones.
            let count = visibleTemplates.count + visibleBrokenTemplates.count
            templateSelection = min(max(0, count - 1), max(0, templateSelection + delta.signum()))
        case .trace:
            scrollTrace(by: delta)
        case .editor:
            break
        }
    }
}

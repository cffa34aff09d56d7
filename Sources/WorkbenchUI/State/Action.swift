/// Every action a user can take, by name. Key bindings, the help overlay and the command palette
/// are all built from this one table, so they can never disagree.
public enum Action: String, Sendable, CaseIterable, Equatable {
    case send, cancel, toggleStream, newConversation, regenerate, editLastTurn, editEarlierTurn
    case parameters, toggleJSONMode, switchProvider, resume, copyLastReply, copyPicker, export, toggleWebSearch, toggleTools, templates, saveAsTemplate, toolApproval, compare, budget, overBudgetOnce
    case toggleSendCancelled, editSystem, toggleThinking, evaluate
    case help, palette, focusNext, focusPrevious, suspend, quit

    public var title: String {
        switch self {
        case .send: return "Send the prompt"
        case .cancel: return "Cancel the running request (keeps the partial reply)"
        case .toggleStream: return "Toggle streaming / non-streaming"
        case .newConversation: return "New conversation"
        case .regenerate: return "Regenerate the last reply"
        case .editLastTurn: return "Edit and resend the last prompt"
        case .editEarlierTurn: return "Edit and resend an earlier prompt…"
        case .parameters: return "Model parameters (temperature, top_p, max_tokens, sampling, JSON mode)…"
        case .toggleJSONMode: return "Toggle JSON mode"
        case .switchProvider: return "Switch provider…"
        case .resume: return "Open an earlier conversation…"
        case .copyLastReply: return "Copy the last reply to the clipboard (OSC 52)"
        case .copyPicker: return "Copy a message or a code block to the clipboard…"
        case .toggleWebSearch: return "Toggle Z.AI web search for the next requests ($0.01 per search)"
        case .toggleTools: return "Offer the tools of tools.yaml with typed prompts (runs the tool loop) on/off"
        case .export: return "Export this conversation: Markdown, JSONL and a curl script, into the current folder"
        case .templates: return "Templates: filter, open, fill variables, preview, send"
        case .saveAsTemplate: return "Save the prompt state (system, parameters, tools, last prompt) as a new template…"
        case .compare: return "Compare the prompt streamed and non-streamed, side by side"
        case .budget: return "Budget: set the session's spending limit…"
        case .overBudgetOnce: return "Send the next request even though the budget is reached"
        case .toolApproval: return "Tool calls that run commands or MCP: ask / always allow / never allow (cycle)"
        case .toggleSendCancelled: return "Send cancelled replies back to the model as history (on/off)"
        case .editSystem: return "Edit the system prompt (in the editor; Ctrl-S keeps it, Esc leaves it)"
        case .toggleThinking: return "Show or hide the thinking of the last reply (thinking models)"
        case .evaluate: return "Evaluate this template over its cases (the selected one in Templates)…"
        case .help: return "Show all key bindings"
        case .palette: return "Command palette"
        case .focusNext: return "Focus the next pane"
        case .focusPrevious: return "Focus the previous pane"
        case .suspend: return "Suspend to the shell (fg to return)"
        case .quit: return "Quit"
        }
    }

    /// The keys that trigger the action anywhere (pane-specific keys are listed separately).
    public var keys: [Key] {
        switch self {
        case .send: return [.ctrl("s"), .altEnter]
        case .cancel: return [.escape, .ctrl("c")]
        case .toggleStream: return [.ctrl("t")]
        case .newConversation: return [.ctrl("n")]
        case .regenerate: return [.ctrl("r")]
        case .editLastTurn: return [.ctrl("e")]
        case .editEarlierTurn: return []
        case .parameters: return [.function(2), .ctrl("o")]
        case .toggleJSONMode: return []
        case .switchProvider: return [.function(3)]
        case .resume: return [.function(5)]
        case .copyLastReply: return [.ctrl("y")]
        case .copyPicker: return [.alt("y")]
        case .export: return []
        case .toggleWebSearch: return []
        case .toggleTools: return []
        case .templates: return [.function(4)]
        case .saveAsTemplate: return [.function(6)]
        case .toolApproval: return []
        case .toggleSendCancelled: return []
        case .editSystem: return [.alt("s")]
        case .toggleThinking: return [.alt("t")]
        case .evaluate: return [.function(7)]
        case .compare: return [.ctrl("k")]
        case .budget: return []
        case .overBudgetOnce: return [.function(8)]
        case .help: return [.function(1)]
        case .palette: return [.ctrl("p")]
        case .focusNext: return [.tab]
        case .focusPrevious: return [.backTab]
        case .suspend: return [.ctrl("z")]
        case .quit: return [.ctrl("q")]
        }
    }

    static let byKey: [Key: Action] = {
        var m: [Key: Action] = [:]
        for a in allCases { for k in a.keys { m[k] = a } }
        return m
    }()
}

extension Key {
    /// How a key is written in help and hints.
    public var label: String {
        switch self {
        case .char(let c): return c == " " ? "Space" : String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .alt(let c): return "Alt-" + String(c)
        case .enter: return "Enter"
        case .altEnter: return "Alt-Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .escape: return "Esc"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .ctrlUp: return "Ctrl-↑"
        case .ctrlDown: return "Ctrl-↓"
        case .ctrlLeft: return "Ctrl-←"
        case .ctrlRight: return "Ctrl-→"
        case .ctrlHome: return "Ctrl-Home"
        case .ctrlEnd: return "Ctrl-End"
        case .shiftUp: return "Shift-↑"
        case .shiftDown: return "Shift-↓"
        case .function(let n): return "F\(n)"
        case .paste: return "paste"
        }
    }
}

/// Keys that only mean something in one pane, for the help overlay.
public enum PaneKeys {
    public static let all: [(pane: String, keys: String, what: String)] = [
        ("Prompt", "Enter", "new line (send with Ctrl-S or Alt-Enter)"),
        ("Prompt", "↑ / ↓", "move by screen row (long lines wrap); on the first / last row, earlier / later prompts from history"),
        ("Prompt", "Home / End", "start / end of the screen row; pressed again, of the whole line"),
        ("Prompt", "←→ Backspace Delete", "edit; paste inserts as typed"),
        ("Prompt", "Ctrl-U", "delete from the start of the line to the caret (this line only)"),
        ("Conversation", "↑↓ PgUp PgDn Home End, wheel", "scroll; the view follows new text only at the bottom"),
        ("Templates", "type, Backspace, Esc", "filter by name and description; Esc clears the filter"),
        ("Templates", "↑↓ Enter", "open a template: its variables form and the preview of the exact request"),
        ("Template form", "↑↓ Enter, ←→ on choices", "pick a variable; Enter edits it (Enter done, Esc undo, Ctrl-U clear)"),
        (
            "Template form", "Ctrl-S or s, e, r, v, PgUp PgDn",
            "send; edit the file in $EDITOR (reloads on save); reset values; evaluate it over its cases; scroll the preview"
        ),
        (
            "Evaluation (F7)", "↑↓ ←→ PgUp PgDn, Enter, d",
            "move; open a cell (the messages sent, output, assertions; [ ] neighbours); word-diff the row's outputs"
        ),
        ("Evaluation (F7)", "f, /", "filter: all / failing / disagreeing / errors; search cases by name or variables"),
        (
            "Evaluation (F7)", "r, R, e",
            "rerun (unchanged cells come from the log at $0); rerun sending everything; edit the template"
        ),
        (
            "Evaluation (F7)", "a, m, s, x, Esc",
            "add the HEAD column, a model, the other streaming mode; remove the selected column; cancel, then close"
        ),
        ("Tool trace", "↑↓ Enter/Space", "select a call; expand it: arguments, validation, result, stderr, timings"),
        ("Tool trace", "PgUp PgDn, wheel", "scroll the trace, to read an expanded call to its end"),
        ("Tool trace", "e", "edit the selected call's result and replay the loop from that step (a new branch)"),
        ("Tool question", "y/n/a, or type + Enter", "allow or deny a call (a: always allow from now on); type or paste a manual tool's result"),
        ("Compare", "r, d, s, n, ↑↓, PgUp PgDn, Esc", "rerun; deterministic rerun (do_sample false; also temperature 0 and a seed where the server ignores do_sample); sequential on/off; repeat 1/3/5×; scroll the text; scroll the table; close"),
        ("Run log", "↑↓ PgUp PgDn, [ ]", "scroll; previous / next run"),
        ("Anywhere", "q, ? (outside the editor and templates)", "quit (only with an empty prompt; otherwise q is typed), help; other typing goes to the prompt"),
        ("Parameters (F2)", "type, Ctrl-U, Space, Enter", "edit the field; clear it; toggle on/off; apply"),
        ("Narrow terminal", "Tab / Shift-Tab, Alt-1…Alt-5, click a tab", "switch the visible pane (Alt-N is tab N; the prompt shows the conversation above it)"),
    ]
}

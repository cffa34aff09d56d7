import Foundation
import WorkbenchCore
import WorkbenchTools

/// How `glmwb run` asks about tool calls: on the controlling terminal (/dev/tty), one question at
/// a time, so stdout stays the reply and stdin can be a pipe. Without a terminal on stderr,
/// `ask` denies and says how to allow.
actor TerminalAsker {
    static let shared = TerminalAsker()

    func ask(_ question: String) -> String? {
        // Asking where nobody watches (stderr redirected, no terminal) would hang a script.
        guard isatty(STDERR_FILENO) == 1, let tty = fopen("/dev/tty", "r+") else { return nil }
        defer { fclose(tty) }
        // The question quotes the model's arguments: always a terminal, so always made visible.
        fputs(TerminalText.visible(question), tty)
        fflush(tty)
        var line: UnsafeMutablePointer<CChar>?
        var cap = 0
        defer { free(line) }
        guard getline(&line, &cap, tty) >= 0, let line else { return nil }
        return String(cString: line).trimmingCharacters(in: .newlines)
    }

    func approve(_ call: ToolCall, _ def: ToolDefinition) -> Bool {
        let label = ToolDispatcher.label(def.executor)
        guard let answer = ask("[glmwb] allow \(call.function.name)(\(ToolOutcome.compactArguments(call.function.arguments))) via \(label)? [y/N] ") else {
            Console.err("[glmwb] no terminal to ask whether \(call.function.name) may run: denied (pass --approve all to allow)\n")
            return false
        }
        return ["y", "yes"].contains(answer.lowercased())
    }

    func manual(_ call: ToolCall) -> String? {
        ask("[glmwb] type the result of \(call.function.name)(\(ToolOutcome.compactArguments(call.function.arguments))) (one line): ")
    }
}

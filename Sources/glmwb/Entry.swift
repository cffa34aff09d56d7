import ArgumentParser
import Foundation
import WorkbenchCore
import WorkbenchUI

/// The process entry. ArgumentParser's own `main` exits 64 on bad usage; the CLI contract says 2,
/// so errors are mapped here.
@main
enum Entry {
    static func main() async {
        // A parent may hand down blocked signals (a test runner, an IDE, a Dispatch worker that
        // spawned us); with SIGTSTP or SIGWINCH blocked, Ctrl-Z and resizing would silently do
        // nothing. Start from an empty mask.
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
        do {
            var command = try Glmwb.parseAsRoot()
            // Parsing starts no thread, so the cap is still in time here.
            if command is WorkbenchCommand { ProcessMemory.tuneAllocator() }
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            beforeExit()
        } catch let exit as ExitCode {
            beforeExit()
            Foundation.exit(exit.rawValue)
        } catch let failure as CLIFailure {
            beforeExit()
            Console.err("glmwb: " + failure.message + "\n")
            Foundation.exit(failure.status)
        } catch {
            beforeExit()
            let code = Glmwb.exitCode(for: error)
            let text = Glmwb.fullMessage(for: error)
            if code == .success {
                print(text)
                Console.flush(); fflush(nil)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((text + "\n").utf8))
            Foundation.exit(code.rawValue == 64 || code.rawValue == 1 && isUsage(error) ? 2 : code.rawValue)
        }
    }

    private static func isUsage(_ error: Error) -> Bool { error is ValidationError }

    /// Every way out: the output written, and every run log closed (its WAL checkpointed into the
    /// database file), whatever may still hold it (`RunLog.closeAll`).
    private static func beforeExit() {
        Console.flush()
        fflush(nil)
        RunLog.closeAll()
    }
}

/// A failure the CLI reports as one line with a chosen exit status (1: API error, 2: usage).
struct CLIFailure: Error {
    var message: String
    var status: Int32
    static func usage(_ m: String) -> CLIFailure { CLIFailure(message: m, status: 2) }
    static func api(_ m: String) -> CLIFailure { CLIFailure(message: m, status: 1) }
}

/// Every command in the tree names itself (`commandName:`): ArgumentParser builds the whole tree on
/// each start, and a command without a name gets it from `String(describing:)` of its type, which
/// makes the Swift runtime scan all 11,000 protocol conformances of the binary three times per
/// type: 3–4 ms of every `glmwb run` for the 13 nested commands (issue 15).
struct Glmwb: AsyncParsableCommand {
    static let subcommands: [any ParsableCommand.Type] = [WorkbenchCommand.self, RunCommand.self, CompareCommand.self, TemplatesCommand.self, SimCommand.self, LogsCommand.self, LocalModelCommand.self, EvalCommand.self]

    static let configuration = CommandConfiguration(
        commandName: "glmwb",
        abstract: "GLM Workbench: prompt engineering against GLM-4-32B-0414-128K and OpenAI-compatible endpoints.",
        // The keys come from the Action table, as the help overlay's do.
        discussion: KeyHelp.plainText(),
        version: "glmwb " + GLMWBVersion.string,
        subcommands: subcommands,
        defaultSubcommand: WorkbenchCommand.self
    )

    /// The subcommands' names, for "unknown command" messages.
    static var commandNames: [String] { subcommands.compactMap { $0.configuration.commandName } }
}

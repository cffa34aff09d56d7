import Foundation
import Subprocess
import SystemPackage
import WorkbenchCore

/// Runs a `command` tool: the declared argv (never a shell), the arguments JSON on stdin, stdout
/// as the result, stderr kept for the trace, stopped (SIGTERM, then SIGKILL) at its time limit.
public enum CommandToolRunner {
    /// Output beyond this is an error rather than a silently cut result.
    static let outputLimit = 1 << 20

    public static func run(argv: [String], input: String, timeout: Double, environment: [String: String] = [:]) async -> ExternalToolResult {
        guard let program = argv.first, !program.isEmpty else { return ExternalToolResult(output: "", failure: "the command is empty") }
        // The arguments reach stdin from an unlinked temp file rather than a pipe we write to: a
        // tool that exits without reading stdin must not turn into a failed (or crashing) write.
        let stdinFD: FileDescriptor
        do { stdinFD = try inputFile(input) } catch { return ExternalToolResult(output: "", failure: "cannot prepare the tool's input: \(error)") }
        return await withTaskGroup(of: ExternalToolResult?.self) { group in
            group.addTask {
                let executable: Executable = program.contains("/") ? .path(.init(program)) : .name(program)
                var options = PlatformOptions()
                options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .milliseconds(500))]
                let env: Environment = environment.isEmpty ? .inherit : .inherit.updating(environment.reduce(into: [Environment.Key: String?]()) { $0[Environment.Key(stringLiteral: $1.key)] = $1.value })
                do {
                    let r = try await Subprocess.run(executable, arguments: Arguments(Array(argv.dropFirst())), environment: env,
                                                     platformOptions: options, input: .fileDescriptor(stdinFD, closeAfterSpawningProcess: true),
                                                     output: .string(limit: outputLimit), error: .string(limit: 64 * 1024))
                    let out = r.standardOutput
                    let err = r.standardError
                    switch r.terminationStatus {
                    case .exited(let code):
                        return ExternalToolResult(output: out.trimmingCharacters(in: .newlines), stderr: err.isEmpty ? nil : err,
                                                  exitStatus: Int32(code), isError: code != 0)
                    case .signaled(let sig):
                        return ExternalToolResult(output: out, stderr: err.isEmpty ? nil : err, failure: "\(program) was killed by signal \(sig)")
                    }
                } catch is CancellationError {
                    return nil
                } catch let e as SubprocessError {
                    if Task.isCancelled { return nil }
                    return ExternalToolResult(output: "", failure: describe(e, program: program))
                } catch {
                    if Task.isCancelled { return nil }
                    return ExternalToolResult(output: "", failure: "\(program): \(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                return Task.isCancelled ? nil : ExternalToolResult(output: "", timedOut: true)
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            // Wait for the process to be torn down before reporting, so nothing outlives the call.
            while await group.next() != nil {}
            return first ?? ExternalToolResult(output: "", failure: "cancelled")
        }
    }

    static func inputFile(_ text: String) throws -> FileDescriptor {
        var template = Array((NSTemporaryDirectory() + "/glmwb-tool-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw Errno(rawValue: errno) }
        unlink(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        let d = FileDescriptor(rawValue: fd)
        do {
            _ = try d.writeAll(Array(text.utf8))
            _ = try d.seek(offset: 0, from: .start)
        } catch {
            try? d.close()
            throw error
        }
        return d
    }

    static func describe(_ e: SubprocessError, program: String) -> String {
        let text = "\(e)"
        if text.localizedCaseInsensitiveContains("not found") || text.contains("executableNotFound") {
            return "\(program) was not found (the command is run directly, not through a shell)"
        }
        if text.localizedCaseInsensitiveContains("limit") { return "\(program) printed more than 1 MiB" }
        return "\(program) could not run: \(text)"
    }
}

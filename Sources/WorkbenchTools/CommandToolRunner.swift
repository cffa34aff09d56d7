import Foundation
import Subprocess
import SystemPackage
import WorkbenchCore

/// Runs a `command` tool: the declared argv (never a shell), the arguments JSON on stdin, stdout
/// as the result, stderr kept for the trace, stopped (SIGTERM, then SIGKILL) at its time limit.
///
/// Nothing a tool starts outlives its call. The tool runs in its own process group, and the
/// group is ended the moment the tool exits (so a background child holding stdout open cannot
/// keep the call waiting either), at its time limit, and when the call is cancelled. A process
/// that leaves the group by making its own session (`setsid`) is still found on Linux: every
/// tool is started with a per-call mark in its environment, which its descendants inherit, and
/// the processes carrying it are ended too — unless one clears its environment on purpose.
///
/// The output limits are per stream: stdout is the result, so more than 1 MiB of it is an error
/// that says so ("stdout exceeded 1 MiB"); stderr is only the trace, so its first 64 KiB are
/// kept and the rest is read and dropped — a chatty tool does not fail, and cannot stall on a
/// full pipe either.
public enum CommandToolRunner {
    /// Stdout beyond this is an error rather than a silently cut result.
    static let outputLimit = 1 << 20
    /// Stderr kept for the trace; the rest is read and discarded.
    static let stderrLimit = 64 * 1024
    /// The environment variable that marks a call's processes (see the type's comment).
    public static let markVariable = "GLMWB_TOOL_CALL"

    public static func run(argv: [String], input: String, timeout: Double, environment: [String: String] = [:]) async -> ExternalToolResult {
        guard let program = argv.first, !program.isEmpty else { return ExternalToolResult(output: "", failure: "the command is empty") }
        // The arguments reach stdin from an unlinked temp file rather than a pipe we write to: a
        // tool that exits without reading stdin must not turn into a failed (or crashing) write.
        let stdinFD: FileDescriptor
        do { stdinFD = try inputFile(input) } catch { return ExternalToolResult(output: "", failure: "cannot prepare the tool's input: \(error)") }
        let mark = UUID().uuidString
        let started = StartedProcess()
        let result = await withTaskGroup(of: ExternalToolResult?.self) { group in
            group.addTask {
                let executable: Executable = program.contains("/") ? .path(.init(program)) : .name(program)
                var options = PlatformOptions()
                options.processGroupID = 0   // its own group, led by the tool
                options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .milliseconds(500))]
                var vars = environment.reduce(into: [Environment.Key: String?]()) { $0[Environment.Key(stringLiteral: $1.key)] = $1.value }
                vars[Environment.Key(stringLiteral: markVariable)] = mark
                do {
                    let r = try await Subprocess.run(executable, arguments: Arguments(Array(argv.dropFirst())), environment: .inherit.updating(vars),
                                                     platformOptions: options, input: .fileDescriptor(stdinFD, closeAfterSpawningProcess: true),
                                                     output: .string(limit: outputLimit), error: .sequence) { execution in
                        let pid = execution.processIdentifier.value
                        started.set(pid)
                        async let stderrText = boundedText(execution.standardError, limit: stderrLimit)
                        // When the tool exits, end what it left behind, so it cannot hold the pipes open.
                        while ProcessGroup.isRunning(pid), !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                        ProcessGroup.end(pid)
                        return await stderrText
                    }
                    let out = r.standardOutput
                    let err = r.closureResult
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
        if let pid = started.pid { ProcessGroup.end(pid) }
        ProcessGroup.endMarked(variable: markVariable, value: mark)
        return result
    }

    /// The stream's first `limit` bytes as text; the rest is read and dropped so the writer never
    /// blocks on a full pipe.
    static func boundedText(_ stream: SubprocessOutputSequence, limit: Int) async -> String {
        var kept: [UInt8] = []
        var dropped = 0
        do {
            for try await chunk in stream {
                let room = max(0, limit - kept.count)
                chunk.withUnsafeBytes { raw in kept.append(contentsOf: raw.prefix(room)) }
                dropped += max(0, chunk.count - room)
            }
        } catch {}
        var text = String(decoding: kept, as: UTF8.self)
        if dropped > 0 { text += "\n[glmwb: \(dropped) more bytes of stderr dropped; the first \(limit / 1024) KiB are kept]" }
        return text
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
        // Only stdout has a limit that throws (stderr is cut, not refused).
        if text.localizedCaseInsensitiveContains("limit") { return "\(program): stdout exceeded \(outputLimit >> 20) MiB (the result must be smaller)" }
        return "\(program) could not run: \(text)"
    }
}

/// The tool's pid, set from inside the run once it has started, read after the run to end its
/// group whatever happened (finished, timed out, cancelled).
final class StartedProcess: @unchecked Sendable {
    private let lock = NSLock()
    private var value: pid_t?
    func set(_ pid: pid_t) { lock.withLock { value = pid } }
    var pid: pid_t? { lock.withLock { value } }
}

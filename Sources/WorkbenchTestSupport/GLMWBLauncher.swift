import Foundation
import WorkbenchCore

/// `.build/debug/glmwb`, or `$GLMWB_TEST_BINARY` for a build in another scratch path.
public let glmwbBinary =
    ProcessInfo.processInfo.environment["GLMWB_TEST_BINARY"].flatMap { $0.isEmpty ? nil : $0 }
    ?? projectRoot.appendingPathComponent(".build/debug/glmwb").path

/// What a finished process said.
public struct CLIResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// The child's peak resident memory, when it ran under `.measuringPeakRSS`.
    public var maxRSSKiB: Int?

    public init(status: Int32, stdout: String, stderr: String, maxRSSKiB: Int? = nil) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.maxRSSKiB = maxRSSKiB
    }

    public var json: JSONValue? { JSONValue.parse(stdout) }
}

/// How the binary is started.
public enum GLMWBLaunch: Sendable {
    /// `glmwb ARGS`.
    case direct
    /// `/bin/sh -c SCRIPT glmwb ARGS`: the script names the binary `$0` (ulimits, setpriv, exec).
    case shell(String)
    /// Under `/usr/bin/time`, which reports the child's peak RSS (`CLIResult.maxRSSKiB`).
    case measuringPeakRSS
}

/// The one way tests start the real `glmwb`, configured and not yet running: for tests that
/// start several at once or signal one. The environment is the test's, without API keys (a
/// developer's own key must never reach a test run), plus `env`.
public func glmwbProcess(_ args: [String], env: [String: String] = [:], via launch: GLMWBLaunch = .direct) -> Process {
    let p = Process()
    switch launch {
    case .direct:
        p.executableURL = URL(fileURLWithPath: glmwbBinary)
        p.arguments = args
    case .shell(let script):
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script, glmwbBinary] + args
    case .measuringPeakRSS:
        p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        p.arguments = ["-f", rssMarker + "%M", glmwbBinary] + args
    }
    var environment = ProcessInfo.processInfo.environment
    environment["ZAI_API_KEY"] = nil
    environment["ZHIPUAI_API_KEY"] = nil
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    return p
}

private let rssMarker = "glmwb-maxrss-kib "

/// Runs the real binary to its end, the way a user or a script would, and returns what it said.
/// `stdin` is written and closed (no stdin: an empty one). Standard error goes to a file, so a
/// child that writes a lot there never blocks on a pipe nobody reads. The wait is on a thread of
/// its own (`onOwnThread`), never on the test's cooperative pool.
public func glmwb(
    _ args: [String], stdin: String? = nil, env: [String: String] = [:],
    via launch: GLMWBLaunch = .direct
) async throws -> CLIResult {
    try await onOwnThread { try runToEnd(args, stdin: stdin, env: env, via: launch) }
}

private func runToEnd(_ args: [String], stdin: String?, env: [String: String], via launch: GLMWBLaunch) throws
    -> CLIResult
{
    let p = glmwbProcess(args, env: env, via: launch)
    let errPath = tempDataDir() + "/stderr"
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let errFile = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let out = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = errFile
    p.standardInput = input
    try p.run()
    try errFile.close()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    var stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: errPath)
    var rss: Int?
    if case .measuringPeakRSS = launch {
        if let r = stderr.range(of: rssMarker, options: .backwards) {
            rss = Int(stderr[r.upperBound...].prefix { $0.isNumber })
            stderr = String(stderr[..<r.lowerBound])
        }
        stderr = stderr.replacingOccurrences(
            of: "Command exited with non-zero status \(p.terminationStatus)\n", with: "")
        stderr = stderr.replacingOccurrences(of: "Command terminated by signal \(p.terminationStatus)\n", with: "")
    }
    return CLIResult(
        status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: stderr, maxRSSKiB: rss)
}

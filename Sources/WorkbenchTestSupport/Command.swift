import Foundation
import WorkbenchCore

/// Runs a program found on PATH (`argv[0]`) to its end, in `directory` when given, with the
/// test's environment changed by `env` (a nil value removes a variable), and returns its exit
/// status and its standard output and error interleaved as written (one pipe, read to its end,
/// so it cannot block on an unread second stream). For tools around the binary: git, curl,
/// `script`; the binary itself starts through `glmwb(_:via:)`. Like that, it waits on a thread of
/// its own (`onOwnThread`).
public func command(_ argv: [String], in directory: String? = nil, env: [String: String?] = [:]) async throws -> (
    status: Int32, output: String
) {
    try await onOwnThread { try runToEnd(argv, in: directory, env: env) }
}

private func runToEnd(_ argv: [String], in directory: String?, env: [String: String?]) throws -> (
    status: Int32, output: String
) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = argv
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var environment = ProcessInfo.processInfo.environment
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

import Foundation
import WorkbenchCore

/// Starts (or finds) the project's llama.cpp server through `scripts/local_model.py`, which owns
/// the virtualenv, the install and the pid file, so `make local-model` and the workbench share one
/// idempotent path. Its progress messages pass through to stderr.
enum LocalModel {
    static func ensure(port: Int?, quiet: Bool = false) throws -> URL {
        guard let root = ResourceLocator.root() else {
            throw CLIFailure.usage("cannot find scripts/local_model.py (set GLMWB_HOME to the glmwb checkout or install dir)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var args = ["python3", root.appendingPathComponent("scripts/local_model.py").path, "ensure"]
        if let port { args += ["--port", String(port)] }
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = quiet ? FileHandle.nullDevice : FileHandle.standardError
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard p.terminationStatus == 0, let url = URL(string: text.split(separator: "\n").last.map(String.init) ?? "") else {
            throw CLIFailure.api("the local model did not start (exit \(p.terminationStatus)); see .local-model/server.log")
        }
        return url
    }
}

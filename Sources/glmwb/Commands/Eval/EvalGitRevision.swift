import Foundation
import WorkbenchCore

/// `--against REV`: the same template file as it was at a git revision, read with
/// `git show REV:path` (argv, never a shell), so "is my edit better?" is one flag.
enum EvalGitRevision {
    static func template(at rev: String, of base: PromptTemplate) throws -> (PromptTemplate, sha: String?) {
        let file = URL(fileURLWithPath: base.path).standardizedFileURL
        let dir = file.deletingLastPathComponent().path
        guard !rev.hasPrefix("-") else { throw CLIFailure.usage("--against \(rev): not a revision") }
        let top = try git(["-C", dir, "rev-parse", "--show-toplevel"], what: "\(base.path) is not in a git repository")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let topURL = URL(fileURLWithPath: top).resolvingSymlinksInPath().path
        let filePath = file.resolvingSymlinksInPath().path
        guard filePath.hasPrefix(topURL + "/") else { throw CLIFailure.usage("--against: \(base.path) is outside the repository at \(top)") }
        let rel = String(filePath.dropFirst(topURL.count + 1))
        let text = try git(["-C", top, "show", "\(rev):\(rel)"], what: "--against \(rev): \(rel) is not in that revision")
        let sha = try? git(["-C", top, "rev-parse", "--verify", "\(rev)^{commit}"], what: "").trimmingCharacters(in: .whitespacesAndNewlines)
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("glmwb-against-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let path = tmp.appendingPathComponent(file.lastPathComponent).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var t = try usageOnTemplateError { () throws(TemplateError) in try TemplateLibrary.loadFile(path: path, name: base.name) }
        t.path = "\(rev):\(rel)"
        return (t, sha)
    }

    private static func git(_ args: [String], what: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { throw CLIFailure.usage("--against needs git: \(error.localizedDescription)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CLIFailure.usage(what) }
        return String(decoding: data, as: UTF8.self)
    }
}

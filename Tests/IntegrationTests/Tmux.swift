import Foundation

/// Drives a real terminal: tmux on its own socket, so tests never touch a user's sessions.
/// The workbench runs inside a shell in the pane, so after it exits the test can check that the
/// shell got a sane terminal back.
struct Tmux {
    let name: String
    static let socket = "glmwb-e2e"

    init(width: Int, height: Int, env: [String: String] = [:]) throws {
        name = "t" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        var args = ["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height)]
        for (k, v) in env { args += ["-e", "\(k)=\(v)"] }
        args.append("env PS1='$ ' sh")
        try Tmux.run(args)
    }

    /// Runs a tmux command. Only `capture` reads stdout through a pipe: the command that starts
    /// the server must not hand it a pipe, or the daemon keeps it open and the read never ends.
    @discardableResult
    static func run(_ args: [String], capture: Bool = false) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["tmux", "-L", socket, "-f", "/dev/null"] + args
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        guard capture else {
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return ""
        }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Types literal text (no key names interpreted).
    func type(_ text: String) throws { try Tmux.run(["send-keys", "-t", name, "-l", text]) }

    /// Sends tmux key names: "C-s", "Escape", "F1", "Enter", "M-Enter", "BSpace", "Tab".
    func keys(_ keys: String...) throws { try Tmux.run(["send-keys", "-t", name] + keys) }

    func screen() throws -> String { try Tmux.run(["capture-pane", "-p", "-t", name], capture: true) }

    func resize(width: Int, height: Int) throws {
        try Tmux.run(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// Polls the screen until `predicate` holds or the time runs out; returns the last screen.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 15, _ predicate: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw WaitError(what: what, screen: last)
    }

    func waitFor(_ text: String, timeout: Double = 15) async throws -> String {
        try await waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    func kill() { _ = try? Tmux.run(["kill-session", "-t", name]) }

    struct WaitError: Error, CustomStringConvertible {
        var what: String
        var screen: String
        var description: String { "timed out waiting for \(what); the screen was:\n\(screen)" }
    }
}

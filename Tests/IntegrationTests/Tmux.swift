import Foundation

/// Drives a real terminal: tmux on its own socket, so tests never touch a user's sessions.
/// The workbench runs inside a shell in the pane, so after it exits the test can check that the
/// shell got a sane terminal back.
struct Tmux {
    let name: String
    static let socket = "glmwb-e2e"

    init(width: Int, height: Int, env: [String: String] = [:]) throws {
        var args = ["-x", String(width), "-y", String(height)]
        for (k, v) in env { args += ["-e", "\(k)=\(v)"] }
        args.append("env PS1='$ ' bash --norc --noprofile -i")
        // When the previous test killed the last session, the tmux server is on its way out and
        // a new session can die with it. Type nothing until the shell shows its prompt, and start
        // over when it does not (keys sent while bash sets up the terminal can be lost too).
        for _ in 0..<4 {
            let candidate = "t" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
            try Tmux.run(["new-session", "-d", "-s", candidate] + args)
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline {
                if (try Tmux.run(["capture-pane", "-p", "-t", candidate], capture: true)).contains("$") {
                    name = candidate
                    return
                }
                usleep(20_000)
            }
            _ = try? Tmux.run(["kill-session", "-t", candidate])
        }
        throw SpawnError(message: "tmux did not give a shell prompt")
    }

    /// Runs a tmux command with posix_spawn and waitpid. (Foundation's `Process` was seen to
    /// miss the exit of the short-lived tmux client now and then, hanging the suite.) The
    /// command that starts the server must not hand it a pipe, or the daemon keeps it open and
    /// the read never ends, so only `capture` reads stdout.
    @discardableResult
    static func run(_ args: [String], capture: Bool = false) throws -> String {
        let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + args
        var fds: [Int32] = [-1, -1]
        if capture { guard pipe(&fds) == 0 else { throw SpawnError(message: "pipe failed") } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capture {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Children start with default signal handling and nothing blocked, like a login shell's.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        let rc = posix_spawnp(&pid, "tmux", &actions, &attr, cargs, environ)
        guard rc == 0 else { throw SpawnError(message: "posix_spawnp tmux failed: \(rc)") }
        var output = [UInt8]()
        if capture {
            close(fds[1])
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &buf, buf.count)
                if n <= 0 { break }
                output += buf[0..<n]
            }
            close(fds[0])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return String(decoding: output, as: UTF8.self)
    }

    struct SpawnError: Error { var message: String }

    /// Types literal text (no key names interpreted).
    func type(_ text: String) throws { try Tmux.run(["send-keys", "-t", name, "-l", text]) }

    /// Sends tmux key names: "C-s", "Escape", "F1", "Enter", "M-Enter", "BSpace", "Tab".
    func keys(_ keys: String...) throws { try Tmux.run(["send-keys", "-t", name] + keys) }

    func screen() throws -> String { try Tmux.run(["capture-pane", "-p", "-t", name], capture: true) }

    func resize(width: Int, height: Int) throws {
        try Tmux.run(["resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    /// Waits are given at least this long, whatever a call asks: a wait that succeeds returns at
    /// once, so the limit only decides how long a failure takes to show — and on a loaded CI
    /// machine (2 cores, every suite at once, the local model generating) a screen that takes
    /// seconds to settle made 5 and 30 s waits fail tests that were right.
    static let minimumWait: Double = 180

    /// Polls the screen until `predicate` holds or the time runs out; returns the last screen.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 30, _ predicate: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(max(timeout, Self.minimumWait))
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw WaitError(what: what, screen: last)
    }

    func waitFor(_ text: String, timeout: Double = 30) async throws -> String {
        try await waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    func kill() { _ = try? Tmux.run(["kill-session", "-t", name]) }

    struct WaitError: Error, CustomStringConvertible {
        var what: String
        var screen: String
        var description: String { "timed out waiting for \(what); the screen was:\n\(screen)" }
    }
}

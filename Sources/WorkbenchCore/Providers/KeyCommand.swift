#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs the user's `api_key_command` and takes its first non-blank output line as the key.
///
/// The command is the user's, but glmwb must not hang on it: every command glmwb runs resolves a
/// provider first, so a key command that never exits, fills a pipe, or prints the key and stays
/// (an agent, a `pass` prompt) would hang all of them. Hence:
/// - a time limit (10 s by default);
/// - stdout and stderr drained together with `poll`, so a command that writes a lot to one while
///   glmwb waits on the other cannot deadlock on a full pipe;
/// - the key taken once a complete first line is in — after a short grace in which an exit
///   status still counts (`echo key; exit 1` is a failure, not a key), so a command that prints
///   the key and keeps running succeeds at once rather than at the time limit;
/// - the command started in its own process group (posix_spawn with `POSIX_SPAWN_SETPGROUP`),
///   and the whole group ended (SIGTERM, then SIGKILL) whatever the outcome;
/// - stderr kept to its first 64 KiB (the rest read and dropped) and only its first line
///   reported; stdout is never echoed in any error, since it may hold the key.
public enum KeyCommand {
    public static let defaultTimeLimit: Duration = .seconds(10)
    /// How long after the first line an exit status is still waited for.
    static let firstLineGrace: Duration = .milliseconds(500)
    /// How long the pipes are read after the command exited (a leftover child may hold them open).
    static let afterExitGrace: Duration = .milliseconds(500)
    static let streamLimit = 64 * 1024

    public static func run(_ argv: [String], timeLimit: Duration = defaultTimeLimit) throws -> Secret {
        guard let program = argv.first, !program.isEmpty else { throw failure("the command is empty") }
        let child = try spawn(argv)
        defer { close(child.out); close(child.err) }
        var out = Stream(fd: child.out), err = Stream(fd: child.err)
        var waitStatus: Int32?
        var key: String?
        var keyAt: ContinuousClock.Instant?
        var exitedAt: ContinuousClock.Instant?
        let deadline = ContinuousClock.now + timeLimit
        var timedOut = false
        while true {
            if waitStatus == nil {
                var st: Int32 = 0
                if waitpid(child.pid, &st, WNOHANG) == child.pid { waitStatus = st; exitedAt = .now }
            }
            let now = ContinuousClock.now
            if waitStatus != nil, out.closed && err.closed { break }
            if let exitedAt, now >= exitedAt + afterExitGrace { break }
            if let keyAt, now >= keyAt + firstLineGrace { break }
            if now >= deadline { timedOut = key == nil; break }
            var fds = [out, err].filter { !$0.closed }.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            _ = poll(&fds, nfds_t(fds.count), 50)
            out.drain(limit: streamLimit)
            err.drain(limit: streamLimit)
            if key == nil, let line = firstLine(out.bytes) { key = line; keyAt = .now }
        }
        let exitedOnItsOwn = waitStatus
        ProcessGroup.end(child.pid)
        if waitStatus == nil {
            var st: Int32 = 0
            while waitpid(child.pid, &st, 0) == -1 && errno == EINTR {}
        }
        let stderrLine = String(decoding: err.bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first.map { String($0.prefix(300)) }
        let said = stderrLine.map { ": \($0)" } ?? ""
        if let st = exitedOnItsOwn {
            if exitCode(st) == nil { throw failure("killed by signal \(st & 0x7f)\(said)") }
            if let code = exitCode(st), code != 0 { throw failure("exit \(code)\(said)") }
            // A last line without a newline counts once the command has exited.
            if key == nil { key = firstLine(out.bytes + [UInt8(ascii: "\n")]) }
        }
        if timedOut {
            throw failure("no key within \(seconds(timeLimit)) s; it was stopped (a command that waits for input, e.g. a passphrase prompt, cannot be answered here)\(said)")
        }
        guard let key else { throw failure(out.overflowed ? "its first line is longer than \(streamLimit / 1024) KiB" : "it printed nothing\(said)") }
        return Secret(key)
    }

    static func failure(_ m: String) -> ProviderResolver.ResolveError { .keyCommandFailed(m) }

    /// The first complete line that is not blank, trimmed.
    static func firstLine(_ bytes: [UInt8]) -> String? {
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            let line = String(decoding: bytes[start..<i], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !line.isEmpty { return line }
            start = i + 1
        }
        return nil
    }

    static func exitCode(_ status: Int32) -> Int32? { status & 0x7f == 0 ? (status >> 8) & 0xff : nil }

    private static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return s == s.rounded() ? String(Int(s)) : String(format: "%.1f", s)
    }

    /// One pipe's read end: non-blocking, kept up to a limit, read to EOF.
    struct Stream {
        let fd: Int32
        var bytes: [UInt8] = []
        var closed = false
        var overflowed = false

        init(fd: Int32) {
            self.fd = fd
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }

        mutating func drain(limit: Int) {
            guard !closed else { return }
            var buf = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    let room = max(0, limit - bytes.count)
                    if room < n { overflowed = true }
                    bytes.append(contentsOf: buf[0..<min(n, room)])
                } else if n == 0 {
                    closed = true
                    return
                } else {
                    if errno == EINTR { continue }
                    if errno != EAGAIN && errno != EWOULDBLOCK { closed = true }
                    return
                }
            }
        }
    }

    /// Starts `argv` (a bare program name is looked up on PATH) in a new process group, stdin
    /// from /dev/null, with signal dispositions and mask reset so that glmwb's ignored SIGPIPE or
    /// blocked signals do not leak into the command.
    private static func spawn(_ argv: [String]) throws(ProviderResolver.ResolveError) -> (pid: pid_t, out: Int32, err: Int32) {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw failure("cannot make a pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw failure("cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        var attr = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attr: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attr)
        defer { posix_spawn_file_actions_destroy(&actions); posix_spawnattr_destroy(&attr) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attr, 0)
        var defaults = sigset_t(), mask = sigset_t()
        sigemptyset(&mask)
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setsigmask(&attr, &mask)
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = cArgs.withUnsafeBufferPointer { args in
            posix_spawnp(&pid, argv[0], &actions, &attr, UnsafeMutablePointer(mutating: args.baseAddress!), environ)
        }
        close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw failure("cannot start \(argv[0]): \(String(cString: strerror(rc)))")
        }
        return (pid, outPipe[0], errPipe[0])
    }
}

import Foundation

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How an MCP server process ended.
public enum MCPExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a `waitpid` status word (the W* macros are not imported into Swift).
    init(waitStatus s: Int32) {
        if s & 0x7f == 0 { self = .exited((s >> 8) & 0xff) } else { self = .signaled(s & 0x7f) }
    }

    public var description: String {
        switch self {
        case .exited(let code): return "exited with status \(code)"
        case .signaled(let sig): return "was killed by signal \(sig)\(Self.signalName(sig).map { " (\($0))" } ?? "")"
        }
    }

    static func signalName(_ sig: Int32) -> String? {
        switch sig {
        case SIGTERM: return "SIGTERM"
        case SIGKILL: return "SIGKILL"
        case SIGSEGV: return "SIGSEGV"
        case SIGABRT: return "SIGABRT"
        case SIGINT: return "SIGINT"
        case SIGPIPE: return "SIGPIPE"
        case SIGBUS: return "SIGBUS"
        case SIGILL: return "SIGILL"
        case SIGTRAP: return "SIGTRAP"
        default: return nil
        }
    }
}

/// Why a server process could not be started (before any MCP traffic).
enum MCPSpawnFailure: Error {
    case notFound(executable: String, searchedPath: String?)
    case notExecutable(path: String)
    case system(call: String, errno: Int32)
}

/// A child process started with `posix_spawn` (never through a shell), with its stdin and stdout
/// connected to pipes the parent hands to the MCP transport and its stderr drained by a thread
/// into a bounded tail. A second thread waits for the exit, so callers can await it and every
/// signal sent is guaranteed to reach our child, not a recycled pid.
///
/// The child is the leader of a new process group so `terminate` also reaches what it spawned
/// (`npx` → `node`, `uv run` → `python`, ...).
final class MCPChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// Parent's ends: write to the child's stdin, read from its stdout.
    let stdinFD: Int32
    let stdoutFD: Int32

    static let stderrTailLimit = 8 * 1024

    private let lock = NSLock()
    private var exit: MCPExitStatus?
    private var exitCallbacks: [Int: @Sendable (MCPExitStatus) -> Void] = [:]
    private var nextToken = 0
    private var stderrTail = Data()
    private var stderrEOF = false
    private var fdsClosed = false

    private init(pid: pid_t, stdinFD: Int32, stdoutFD: Int32) {
        self.pid = pid
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
    }

    // MARK: Spawning

    /// Starts `argv` with `environment` as its whole environment.
    static func spawn(argv: [String], environment: [String: String]) throws(MCPSpawnFailure) -> MCPChildProcess {
        precondition(!argv.isEmpty)
        let executable = try resolveExecutable(argv[0], path: environment["PATH"])

        // stdin: child reads [0], we write [1]; stdout and stderr: child writes [1], we read [0].
        let stdinPipe = try makePipe()
        let stdoutPipe: (Int32, Int32)
        let stderrPipe: (Int32, Int32)
        do { stdoutPipe = try makePipe() } catch { closeAll([stdinPipe.0, stdinPipe.1]); throw error }
        do { stderrPipe = try makePipe() } catch {
            closeAll([stdinPipe.0, stdinPipe.1, stdoutPipe.0, stdoutPipe.1]); throw error
        }
        let all = [stdinPipe.0, stdinPipe.1, stdoutPipe.0, stdoutPipe.1, stderrPipe.0, stderrPipe.1]

        let pid: pid_t
        do {
            pid = try posixSpawn(
                path: executable, argv: argv, environment: environment,
                stdin: stdinPipe.0, stdout: stdoutPipe.1, stderr: stderrPipe.1)
        } catch {
            closeAll(all)
            throw error
        }
        // The child has its copies; keep only our ends.
        closeAll([stdinPipe.0, stdoutPipe.1, stderrPipe.1])

        let child = MCPChildProcess(pid: pid, stdinFD: stdinPipe.1, stdoutFD: stdoutPipe.0)
        child.startStderrReader(fd: stderrPipe.0)
        child.startExitWatcher()
        return child
    }

    /// `argv[0]` as `posix_spawnp` would find it, but with an error that says what was looked for.
    static func resolveExecutable(_ name: String, path: String?) throws(MCPSpawnFailure) -> String {
        func isRegularFile(_ p: String) -> Bool {
            var st = stat()
            return stat(p, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
        }
        if name.contains("/") {
            guard FileManager.default.fileExists(atPath: name) else { throw .notFound(executable: name, searchedPath: nil) }
            guard isRegularFile(name), access(name, X_OK) == 0 else { throw .notExecutable(path: name) }
            return name
        }
        let searched = (path?.isEmpty == false ? path! : "/usr/local/bin:/usr/bin:/bin")
        var foundButNotExecutable: String?
        for dir in searched.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + name
            guard isRegularFile(candidate) else { continue }
            if access(candidate, X_OK) == 0 { return candidate }
            foundButNotExecutable = foundButNotExecutable ?? candidate
        }
        if let p = foundButNotExecutable { throw .notExecutable(path: p) }
        throw .notFound(executable: name, searchedPath: searched)
    }

    /// A close-on-exec pipe whose ends are both above the standard descriptors, so the child's
    /// `dup2` onto 0/1/2 always happens (a `dup2(fd, fd)` would leave close-on-exec set).
    private static func makePipe() throws(MCPSpawnFailure) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        // (pipe2 is not imported on Glibc; a fork elsewhere between these calls could inherit the
        // ends, which only delays an EOF: stop() ends the server by signal anyway.)
        guard pipe(&fds) == 0 else { throw .system(call: "pipe", errno: errno) }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        for i in 0..<2 where fds[i] < 3 {
            let high = fcntl(fds[i], F_DUPFD_CLOEXEC, 3)
            let e = errno
            close(fds[i])
            fds[i] = high
            if high < 0 { closeAll(fds.filter { $0 >= 0 }); throw .system(call: "fcntl(F_DUPFD_CLOEXEC)", errno: e) }
        }
        return (fds[0], fds[1])
    }

    private static func closeAll(_ fds: [Int32]) {
        for fd in fds { close(fd) }
    }

    private static func posixSpawn(
        path: String, argv: [String], environment: [String: String],
        stdin: Int32, stdout: Int32, stderr: Int32
    ) throws(MCPSpawnFailure) -> pid_t {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        var attr: posix_spawnattr_t?
        #else
        var actions = posix_spawn_file_actions_t()
        var attr = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }

        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)

        // Own process group (so the whole tree can be signalled), default signal dispositions
        // (glmwb ignores SIGPIPE; that must not leak into the server) and an empty signal mask.
        var flags = Int32(POSIX_SPAWN_SETPGROUP) | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawnattr_setflags(&attr, Int16(flags))
        posix_spawnattr_setpgroup(&attr, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, sig)
        }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)

        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnv = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in cArgv { free(p) }
            for p in cEnv { free(p) }
        }
        var pid: pid_t = 0
        let rc = path.withCString { cPath in
            cArgv.withUnsafeBufferPointer { argvBuf in
                cEnv.withUnsafeBufferPointer { envBuf in
                    posix_spawn(&pid, cPath, &actions, &attr, argvBuf.baseAddress!, envBuf.baseAddress!)
                }
            }
        }
        guard rc == 0 else {
            if rc == ENOENT { throw .notFound(executable: path, searchedPath: nil) }
            if rc == EACCES || rc == ENOEXEC { throw .notExecutable(path: path) }
            throw .system(call: "posix_spawn", errno: rc)
        }
        return pid
    }

    // MARK: Exit

    private func startExitWatcher() {
        let pid = self.pid
        Thread.detachNewThread { [self] in
            // Wait without reaping, so the pid stays ours until `exit` is recorded under the lock
            // and `signal` can never hit a recycled pid.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            var status: Int32 = 0
            lock.lock()
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let st = MCPExitStatus(waitStatus: status)
            exit = st
            let callbacks = exitCallbacks.values
            exitCallbacks = [:]
            lock.unlock()
            for cb in callbacks { cb(st) }
        }
    }

    var exitStatus: MCPExitStatus? {
        lock.lock(); defer { lock.unlock() }
        return exit
    }

    /// Calls `callback` once when the process has exited (at once if it already has). Returns a
    /// token for `removeExitCallback`.
    @discardableResult
    func onExit(_ callback: @escaping @Sendable (MCPExitStatus) -> Void) -> Int {
        lock.lock()
        if let st = exit {
            lock.unlock()
            callback(st)
            return -1
        }
        nextToken += 1
        let token = nextToken
        exitCallbacks[token] = callback
        lock.unlock()
        return token
    }

    func removeExitCallback(_ token: Int) {
        lock.lock(); defer { lock.unlock() }
        exitCallbacks[token] = nil
    }

    func waitForExit() async -> MCPExitStatus {
        await withCheckedContinuation { (c: CheckedContinuation<MCPExitStatus, Never>) in
            onExit { c.resume(returning: $0) }
        }
    }

    /// Waits for the exit at most `limit`; nil when the process is still running.
    func waitForExit(upTo limit: Duration) async -> MCPExitStatus? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let st = exitStatus { return st }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return exitStatus
    }

    /// Signals the child's process group (and the child itself), unless it has been reaped.
    func signal(_ sig: Int32) {
        lock.lock(); defer { lock.unlock() }
        guard exit == nil else { return }
        if kill(-pid, sig) != 0 { _ = kill(pid, sig) }
    }

    /// Closes the parent's pipe ends. Only once the transport no longer uses them.
    func closeParentFDs() {
        lock.lock(); defer { lock.unlock() }
        guard !fdsClosed else { return }
        fdsClosed = true
        close(stdinFD)
        close(stdoutFD)
    }

    // MARK: Stderr

    private func startStderrReader(fd: Int32) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.lock()
                stderrTail.append(contentsOf: buffer[0..<n])
                if stderrTail.count > Self.stderrTailLimit {
                    stderrTail = Data(stderrTail.suffix(Self.stderrTailLimit))
                }
                lock.unlock()
            }
            close(fd)
            lock.lock()
            stderrEOF = true
            lock.unlock()
        }
    }

    /// The last ~8 KB the server wrote to stderr (lossy UTF-8; a cut multi-byte character at the
    /// start is dropped).
    var stderrText: String {
        lock.lock()
        let data = stderrTail
        lock.unlock()
        var text = String(decoding: data, as: UTF8.self)
        while text.first == "\u{FFFD}" { text.removeFirst() }
        return text
    }

    private var stderrDone: Bool {
        lock.lock(); defer { lock.unlock() }
        return stderrEOF
    }

    /// Gives the stderr reader a moment to drain what a dying process wrote last.
    func waitForStderrEOF(upTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if stderrDone { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

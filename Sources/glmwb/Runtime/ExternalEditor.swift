import Foundation

/// Runs the user's editor on a file and waits for it: `$VISUAL`, then `$EDITOR`, then `vi`.
/// The variable may carry arguments (`code -w`); it is split on spaces, not run through a shell.
enum ExternalEditor {
    static func command(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let raw = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
        return raw.split(separator: " ").map(String.init)
    }

    /// The editor's exit status, or an error message when it cannot start.
    struct Failure: Error { var message: String }

    static func edit(_ path: String) -> Result<Int32, Failure> {
        let argv = command() + [path]
        var pid: pid_t = 0
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        // The workbench ignores TERM, HUP, INT and QUIT while its screen is up; an ignored signal
        // stays ignored across exec, so the editor would be deaf to Ctrl-C and to a hang-up.
        // It starts with every signal at its default and nothing blocked.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attr, &mask)
        posix_spawnattr_setflags(&attr, Int16(Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)))
        let rc = posix_spawnp(&pid, argv[0], nil, &attr, &cargs, environ)
        guard rc == 0 else { return .failure(Failure(message: "cannot start \(argv[0]): \(String(cString: strerror(rc))) (set $EDITOR)")) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return .success((status >> 8) & 0xff)
    }
}

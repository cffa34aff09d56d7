#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Ends the processes glmwb starts — key commands and command tools — together with everything
/// they started, by running each in its own process group and signalling the whole group.
///
/// A process that calls `setsid` (or `setpgid`) itself leaves the group and is not reached here;
/// `EnvironmentMark` finds those on Linux.
public enum ProcessGroup {
    /// SIGTERM to every member of group `pgid`; SIGKILL to any still running after `grace`.
    /// Returns at once when the group is already empty. Never signals group 0 or 1 (ourselves,
    /// everything).
    public static func end(_ pgid: pid_t, grace: Duration = .milliseconds(300)) {
        guard pgid > 1, pgid != getpgrp() else { return }
        guard kill(-pgid, SIGTERM) == 0 else { return }   // ESRCH: nobody left
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if livingMembers(of: pgid).isEmpty { return }
            usleep(20_000)
        }
        _ = kill(-pgid, SIGKILL)
    }

    /// The members of group `pgid` that are still running. A zombie (dead, waiting for its parent
    /// to collect it) is not running: an orphan's zombie lingers until init reaps it, which some
    /// container inits never do. Off Linux, where there is no /proc, any member counts.
    public static func livingMembers(of pgid: pid_t) -> [pid_t] {
        #if os(Linux)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name), let s = stat(of: pid), s.pgrp == pgid, s.running else { return nil }
            return pid
        }
        #else
        return kill(-pgid, 0) == 0 ? [pgid] : []
        #endif
    }

    /// Whether `pid` names a process that is running (not gone, not a zombie).
    public static func isRunning(_ pid: pid_t) -> Bool {
        #if os(Linux)
        return stat(of: pid)?.running ?? false
        #else
        return kill(pid, 0) == 0
        #endif
    }

    #if os(Linux)
    /// State and process group from `/proc/PID/stat` ("pid (comm) S ppid pgrp …"; comm may hold
    /// spaces and parentheses, so fields are counted after the last ')').
    static func stat(of pid: pid_t) -> (pgrp: pid_t, running: Bool)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 2, let pgrp = pid_t(fields[2]) else { return nil }
        return (pgrp, fields[0] != "Z" && fields[0] != "X")
    }
    #endif
}

extension ProcessGroup {
    /// Ends every process of this user whose environment holds `variable=value` (SIGTERM, then
    /// SIGKILL after `grace`). Descendants inherit the environment, so this finds those that left
    /// the process group with `setsid`. Linux only (it reads /proc/PID/environ); elsewhere a no-op.
    public static func endMarked(variable: String, value: String, grace: Duration = .milliseconds(300)) {
        #if os(Linux)
        let needle = Array("\(variable)=\(value)".utf8)
        func marked() -> [pid_t] {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
            let me = getpid()
            return entries.compactMap { name -> pid_t? in
                guard let pid = pid_t(name), pid != me, stat(of: pid)?.running == true,
                      let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return nil }
                return env.split(separator: 0).contains { $0.elementsEqual(needle) } ? pid : nil
            }
        }
        var pids = marked()
        guard !pids.isEmpty else { return }
        for pid in pids { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, !pids.isEmpty {
            usleep(20_000)
            pids = pids.filter(isRunning)
        }
        for pid in pids { kill(pid, SIGKILL) }
        #endif
    }
}

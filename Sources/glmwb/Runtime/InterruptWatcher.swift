import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Turns Ctrl-C into "cancel the run" (partial reply kept and logged) instead of killing the
/// process mid-write.
///
/// The SIGINT handler is installed with `sigaction` before `init` returns, so a Ctrl-C at any
/// moment after is kept: the handler writes a byte to a pipe, and a dispatch source reads it.
/// A dispatch signal source alone registers with the kernel later, on libdispatch's own thread,
/// and SIGINT was ignored meanwhile: on a loaded machine an early Ctrl-C was dropped and an
/// evaluation ran to its end (CI caught it).
///
/// A thread of its own keeps SIGINT deliverable (`InterruptReceiver`): libdispatch blocks
/// signals on all its threads, NIO's threads inherit that mask, and the main thread of an async
/// program takes signals only once it is parked in `sigsuspend` at the end of `dispatch_main`'s
/// thread-exit cleanup. Until then a Ctrl-C had no thread to land on and stayed pending; on a
/// loaded CI machine an evaluation ran on to its end (exit 1, not 130) with it still pending.
final class InterruptWatcher: @unchecked Sendable {
    private let source: DispatchSourceRead?

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        let fd = InterruptPipe.readEnd
        // No pipe (no file descriptor left): Ctrl-C keeps its default, ending the process.
        guard fd >= 0 else {
            source = nil
            return
        }
        // A Ctrl-C left from an earlier watcher is not this one's.
        InterruptPipe.drain()
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: .global())
        source.setEventHandler {
            if InterruptPipe.drain() { onInterrupt() }
        }
        source.resume()
        self.source = source
        var action = sigaction()
        action.__sigaction_handler.sa_handler = interruptHandler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        _ = InterruptReceiver.started
    }

    func stop() {
        signal(SIGINT, SIG_DFL)
        source?.cancel()
    }
}

/// The pipe the SIGINT handler writes to, made once per process (both ends non-blocking).
private enum InterruptPipe {
    static let readEnd: Int32 = {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return -1 }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        interruptWriteEnd = fds[1]
        return fds[0]
    }()

    /// Reads what the pipe holds; true when a Ctrl-C had arrived.
    @discardableResult
    static func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        var got = false
        while read(readEnd, &buffer, buffer.count) > 0 { got = true }
        return got
    }
}

/// One thread, started once per process, that never blocks SIGINT: whatever the other threads
/// block, a Ctrl-C always has a thread to run the handler on. It only waits.
private enum InterruptReceiver {
    static let started: Bool = {
        var thread = pthread_t()
        let made = pthread_create(
            &thread, nil,
            { _ in
                var set = sigset_t()
                sigemptyset(&set)
                sigaddset(&set, SIGINT)
                pthread_sigmask(SIG_UNBLOCK, &set, nil)
                while true { pause() }
            }, nil)
        if made == 0 { pthread_detach(thread) }
        return made == 0
    }()
}

/// Written once, before any handler can run; read by the handler.
nonisolated(unsafe) private var interruptWriteEnd: Int32 = -1

/// The SIGINT handler: one `write`, which is async-signal-safe.
private func interruptHandler(_: Int32) {
    var byte: UInt8 = 1
    _ = write(interruptWriteEnd, &byte, 1)
}

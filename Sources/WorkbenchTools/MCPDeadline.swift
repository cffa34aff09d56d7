import Foundation

/// How a raced MCP operation lost.
enum MCPRaceLoss: Error {
    case timedOut
    case processExited(MCPExitStatus)
}

/// Runs `operation` against a deadline and the server process's exit, and returns (or throws)
/// whichever comes first. The SDK's requests wait on continuations that ignore task
/// cancellation, so the operation runs in its own task and is abandoned, not awaited, when it
/// loses; the caller then resolves it (cancels the request or disconnects the client).
func mcpRace<T: Sendable>(
    timeout: Duration,
    process: MCPChildProcess,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let box = MCPRaceBox<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            box.install(continuation)
            let work = Task {
                do { box.finish(.success(try await operation())) } catch { box.finish(.failure(error)) }
            }
            let timer = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                box.finish(.failure(MCPRaceLoss.timedOut))
            }
            // Normally the exit fails the operation through the client's disconnect (after the
            // last answers are read); this is the backstop.
            let token = process.onExit { status in
                Task {
                    try? await Task.sleep(for: .seconds(1))
                    box.finish(.failure(MCPRaceLoss.processExited(status)))
                }
            }
            box.setCleanup {
                timer.cancel()
                work.cancel()
                process.removeExitCallback(token)
            }
        }
    } onCancel: {
        box.finish(.failure(CancellationError()))
    }
}

/// The first result wins; later ones are dropped. Safe to finish before the continuation is
/// installed (cancellation can arrive first).
private final class MCPRaceBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var result: Result<T, Error>?
    private var resumed = false
    private var cleanup: (@Sendable () -> Void)?
    private var cleanedUp = false

    func install(_ c: CheckedContinuation<T, Error>) {
        lock.lock()
        if let r = result, !resumed {
            resumed = true
            lock.unlock()
            c.resume(with: r)
            return
        }
        continuation = c
        lock.unlock()
    }

    func finish(_ r: Result<T, Error>) {
        lock.lock()
        guard result == nil else { lock.unlock(); return }
        result = r
        let c = continuation
        continuation = nil
        if c != nil { resumed = true }
        let clean = cleanedUp ? nil : cleanup
        if clean != nil { cleanedUp = true }
        lock.unlock()
        c?.resume(with: r)
        clean?()
    }

    func setCleanup(_ f: @escaping @Sendable () -> Void) {
        lock.lock()
        if result != nil {
            cleanedUp = true
            lock.unlock()
            f()
            return
        }
        cleanup = f
        lock.unlock()
    }
}

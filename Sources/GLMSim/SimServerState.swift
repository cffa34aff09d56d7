import Foundation

/// State shared by every connection of one server: request counts (which drive `flaky:N` and
/// let retry tests see how many attempts arrived) and response ids.
///
/// A lock rather than an actor because NIO handlers run synchronously on their event loop and
/// must not suspend; `Mutex` would need macOS 15.
final class SimServerState: @unchecked Sendable {
    let defaultScenario: String
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var sequence: UInt64 = 0

    init(defaultScenario: String) {
        self.defaultScenario = defaultScenario
    }

    /// Records one request for `key` and returns its 1-based attempt number.
    func recordRequest(scenario key: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        counts[key, default: 0] += 1
        return counts[key]!
    }

    func requestCount(scenario key: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return counts[key] ?? 0
    }

    private var inFlight: [String: Int] = [:]
    private var peaks: [String: Int] = [:]
    private var refusals: [String: Int] = [:]

    /// Takes an in-flight slot for `key` if fewer than `limit` are taken (`busy:N`); a refusal
    /// is counted so tests can see that the server really pushed back.
    func enter(scenario key: String, limit: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let now = inFlight[key, default: 0]
        guard now < limit else {
            refusals[key, default: 0] += 1
            return false
        }
        inFlight[key] = now + 1
        peaks[key] = max(peaks[key, default: 0], now + 1)
        return true
    }

    func leave(scenario key: String) {
        lock.lock()
        defer { lock.unlock() }
        inFlight[key] = max(0, inFlight[key, default: 0] - 1)
    }

    /// The most requests of `key` ever in flight at once, and how many were refused.
    func concurrency(scenario key: String) -> (peak: Int, refused: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (peaks[key, default: 0], refusals[key, default: 0])
    }

    private var recentBodies: [String: [String]] = [:]
    /// Bodies kept per scenario: enough for any test's requests, bounded for a long `glmwb sim`.
    static let keptBodies = 256

    /// Keeps the bodies of the latest accepted chat requests for `key`, so tests can check what
    /// arrived byte for byte (e.g. that an exported curl command replays the logged request, or
    /// that each evaluation column sent its own model and mode).
    func recordBody(scenario key: String, body: [UInt8]) {
        let text = String(decoding: body, as: UTF8.self)
        lock.lock()
        defer { lock.unlock() }
        recentBodies[key, default: []].append(text)
        if recentBodies[key]!.count > Self.keptBodies { recentBodies[key]!.removeFirst() }
    }

    func lastBody(scenario key: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return recentBodies[key]?.last
    }

    func bodies(scenario key: String) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return recentBodies[key] ?? []
    }

    /// Platform-style task id: UTC timestamp digits, a per-server sequence, and a `sim` suffix
    /// so a logged id is recognisably simulated.
    func nextID(now: Date) -> String {
        lock.lock()
        sequence += 1
        let n = sequence
        lock.unlock()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        func pad(_ v: Int?, _ w: Int) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        let stamp = pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2)
        return stamp + pad(Int(n % 100_000_000), 8) + "sim"
    }
}

extension GLMSimServer {
    /// The body of the latest accepted chat request for `scenario` (the key as the server chose
    /// it: `text` for a request that names none), exactly as received; nil before the first one.
    public func lastRequestBody(scenario: String) -> String? {
        state.lastBody(scenario: scenario)
    }

    /// For `busy:N`: the most requests of `scenario` in flight at once, and how many were
    /// refused with 1302.
    public func concurrency(scenario: String) -> (peak: Int, refused: Int) {
        state.concurrency(scenario: scenario)
    }

    /// The bodies of the accepted chat requests for `scenario`, oldest first (the latest 256).
    public func requestBodies(scenario: String) -> [String] {
        state.bodies(scenario: scenario)
    }
}

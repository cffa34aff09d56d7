/// One dispatched server-sent event.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field; nil means the default type, "message".
    public var type: String?
    public var data: String
    public var id: String?

    public init(type: String? = nil, data: String, id: String? = nil) {
        self.type = type
        self.data = data
        self.id = id
    }
}

/// A synchronous SSE parser (WHATWG "event stream interpretation"), fed bytes in any split.
///
/// It is a plain struct rather than an actor or an AsyncSequence so that a full-speed stream costs
/// one call per network read, not one suspension per byte or line. Lines may end in CR, LF or CRLF
/// (a CR at the end of one read and the LF at the start of the next count once); bytes are only
/// decoded as UTF-8 once a whole line is in hand, so a character split across reads is safe.
public struct SSEParser: Sendable {
    private var pending: [UInt8] = []
    private var lastWasCR = false
    private var atStart = true
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastEventId: String?
    /// Bytes of a final line that never ended; reported by `finish` so a cut stream is visible.
    public private(set) var unterminatedTailBytes = 0
    /// The most bytes one line or one event's data may hold. A server that sends an endless line
    /// would otherwise grow memory without bound; past the cap the parser stops and says so.
    public let maxEventBytes: Int
    /// Set once a line or an event went past `maxEventBytes`; nothing more is parsed.
    public private(set) var overflowed = false

    public static let defaultMaxEventBytes = 64 << 20

    public init(maxEventBytes: Int = SSEParser.defaultMaxEventBytes) {
        self.maxEventBytes = max(1, maxEventBytes)
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>, _ emit: (SSEEvent) -> Void) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buf in feedBuffer(buf, emit) }
        if handled == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { feedBuffer($0, emit) }
        }
    }

    /// Call at end of stream. A data buffer completed by whole lines but never closed by a blank
    /// line is dispatched (the spec would drop it; a server that closes without the final blank
    /// line has still sent a complete payload). A partial last line is dropped and counted.
    public mutating func finish(_ emit: (SSEEvent) -> Void) {
        if overflowed { return }
        unterminatedTailBytes = pending.count
        pending.removeAll()
        lastWasCR = false
        dispatch(emit)
    }

    private mutating func feedBuffer(_ p: UnsafeBufferPointer<UInt8>, _ emit: (SSEEvent) -> Void) {
        if overflowed { return }
        var i = 0
        let n = p.count
        if atStart, n > 0 {
            atStart = false
            // Skip a UTF-8 BOM at the very start of the stream, as the spec requires.
            if n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
        }
        var start = i
        while i < n {
            let b = p[i]
            if b == 0x0A || b == 0x0D {
                if b == 0x0A && lastWasCR && i == start && pending.isEmpty {
                    // The LF of a CRLF whose CR ended the previous line.
                    lastWasCR = false
                    i += 1
                    start = i
                    continue
                }
                if pending.isEmpty {
                    processLine(UnsafeBufferPointer(rebasing: p[start..<i]), emit)
                } else {
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
                    if pending.count > maxEventBytes { overflow(); return }
                    pending.withUnsafeBufferPointer { processLine($0, emit) }
                    pending.removeAll(keepingCapacity: true)
                }
                if overflowed { return }
                lastWasCR = (b == 0x0D)
                i += 1
                start = i
            } else {
                lastWasCR = false
                i += 1
            }
        }
        if start < n {
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<n]))
            if pending.count > maxEventBytes { overflow() }
        }
    }

    /// Drops everything held and stops parsing: the caller ends the run with what it had.
    private mutating func overflow() {
        overflowed = true
        pending = []
        data = []
        hasData = false
    }

    private mutating func processLine(_ line: UnsafeBufferPointer<UInt8>, _ emit: (SSEEvent) -> Void) {
        if line.isEmpty { dispatch(emit); return }
        if line[0] == 0x3A { return } // ":" comment
        var colon = line.count
        for j in 0..<line.count where line[j] == 0x3A { colon = j; break }
        let field = UnsafeBufferPointer(rebasing: line[0..<colon])
        var valueStart = colon < line.count ? colon + 1 : line.count
        if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart..<line.count])
        if Self.equals(field, "data") {
            if hasData { data.append(0x0A) }
            data.append(contentsOf: value)
            hasData = true
            if data.count > maxEventBytes { overflow() }
        } else if Self.equals(field, "event") {
            eventType = String(decoding: value, as: UTF8.self)
        } else if Self.equals(field, "id") {
            if !value.contains(0) { lastEventId = String(decoding: value, as: UTF8.self) }
        }
        // "retry" and unknown fields are ignored, as the spec says.
    }

    private mutating func dispatch(_ emit: (SSEEvent) -> Void) {
        defer { eventType = nil }
        guard hasData else { return }
        let text = String(decoding: data, as: UTF8.self)
        data.removeAll(keepingCapacity: true)
        hasData = false
        emit(SSEEvent(type: eventType, data: text, id: lastEventId))
    }

    private static func equals(_ field: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        guard field.count == name.utf8CodeUnitCount else { return false }
        let s = name.utf8Start
        for k in 0..<field.count where field[k] != s[k] { return false }
        return true
    }
}

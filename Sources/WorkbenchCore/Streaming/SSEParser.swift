/// One dispatched server-sent event.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field; nil means the default type, "message".
    public var type: String?
    /// The `data:` field's bytes, as they arrived (a range of the read they came in).
    public var payload: RawPayload
    public var id: String?

    public init(type: String? = nil, payload: RawPayload, id: String? = nil) {
        self.type = type
        self.payload = payload
        self.id = id
    }

    public init(type: String? = nil, data: String, id: String? = nil) {
        self.init(type: type, payload: RawPayload(data), id: id)
    }

    /// The `data:` field as text (made on each call: the hot path reads `payload`).
    public var data: String { payload.text }
}

/// A synchronous SSE parser (WHATWG "event stream interpretation"), fed bytes in any split.
///
/// It is a plain struct rather than an actor or an AsyncSequence so that a full-speed stream costs
/// one call per network read, not one suspension per byte or line. Lines may end in CR, LF or CRLF
/// (a CR at the end of one read and the LF at the start of the next count once); bytes are only
/// decoded as UTF-8 once a whole line is in hand, so a character split across reads is safe.
/// An event's data is handed on as bytes (`RawPayload`): a range of the read array when its one
/// `data:` line lay whole in that read, which is nearly always.
public struct SSEParser: Sendable {
    private var pending: [UInt8] = []
    private var lastWasCR = false
    private var atStart = true
    /// The event's data while it is one line (nearly every event): the line's value, a range of
    /// the read it lay in when it lay whole in one. A second line moves it to `data`.
    private var dataLine: RawPayload?
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

    /// Parses one read. Events whose data lay whole in it refer to `read` (shared, not copied).
    public mutating func feed(_ read: [UInt8], _ emit: (SSEEvent) -> Void) {
        read.withUnsafeBufferPointer { feedBuffer($0, read: read, emit) }
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>, _ emit: (SSEEvent) -> Void) {
        feed(Array(bytes), emit)
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

    /// `p` holds the bytes of `read`.
    private mutating func feedBuffer(_ p: UnsafeBufferPointer<UInt8>, read: [UInt8], _ emit: (SSEEvent) -> Void) {
        if overflowed { return }
        var i = 0
        let n = p.count
        if atStart, n > 0 {
            atStart = false
            // Skip a UTF-8 BOM at the very start of the stream, as the spec requires.
            if n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
        }
        var start = i
        while true {
            let end = Self.lineEnd(p, from: start)
            // Bytes of a line were read since the last line end: a CR before them is not the
            // first half of a CRLF.
            if end > start { lastWasCR = false }
            guard end < n else { break }
            let b = p[end]
            if b == 0x0A && lastWasCR && end == start && pending.isEmpty {
                // The LF of a CRLF whose CR ended the previous line.
                lastWasCR = false
                start = end + 1
                continue
            }
            if pending.isEmpty {
                processLine(UnsafeBufferPointer(rebasing: p[start..<end]), in: (read, p), emit)
            } else {
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<end]))
                if pending.count > maxEventBytes { overflow(); return }
                pending.withUnsafeBufferPointer { processLine($0, in: nil, emit) }
                pending.removeAll(keepingCapacity: true)
            }
            if overflowed { return }
            lastWasCR = (b == 0x0D)
            start = end + 1
        }
        if start < n {
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<n]))
            if pending.count > maxEventBytes { overflow() }
        }
    }

    /// The index of the first CR or LF in `p` at or after `from`, or `p.count`. A stream is
    /// megabytes of short lines, and looking at one byte at a time was a fifth of its reader's
    /// time (issue 15): this looks at eight at once. In each word, a byte equal to CR or LF
    /// becomes zero after the XOR, and `(x - 0x01…) & ~x & 0x80…` marks zero bytes; the lowest
    /// mark is always exact (only bytes above a zero can be marked falsely), and on the
    /// little-endian word it is the first byte in memory.
    @inline(__always)
    static func lineEnd(_ p: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        let n = p.count
        var i = from
        if let base = p.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let lf = ones &* 0x0A
            let cr = ones &* 0x0D
            while i &+ 8 <= n {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let a = word ^ lf
                let b = word ^ cr
                let marks = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
                if marks != 0 { return i &+ (marks.trailingZeroBitCount >> 3) }
                i &+= 8
            }
        }
        while i < n {
            if p[i] == 0x0A || p[i] == 0x0D { return i }
            i += 1
        }
        return n
    }

    /// Drops everything held and stops parsing: the caller ends the run with what it had.
    private mutating func overflow() {
        overflowed = true
        pending = []
        dataLine = nil
        data = []
        hasData = false
    }

    /// `source` is the read the line lies in (the array and its bytes), nil for a line put
    /// together from several reads.
    private mutating func processLine(
        _ line: UnsafeBufferPointer<UInt8>, in source: ([UInt8], UnsafeBufferPointer<UInt8>)?,
        _ emit: (SSEEvent) -> Void
    ) {
        if line.isEmpty { dispatch(emit); return }
        if line[0] == 0x3A { return } // ":" comment
        var colon = line.count
        for j in 0..<line.count where line[j] == 0x3A { colon = j; break }
        let field = UnsafeBufferPointer(rebasing: line[0..<colon])
        var valueStart = colon < line.count ? colon + 1 : line.count
        if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart..<line.count])
        if Self.equals(field, "data") {
            if !hasData {
                hasData = true
                if value.count > maxEventBytes { overflow(); return }
                if let (read, p) = source, let base = p.baseAddress, let v = value.baseAddress {
                    let at = v - base
                    dataLine = RawPayload(read, range: at..<at + value.count)
                } else {
                    dataLine = RawPayload(bytes: Array(value))
                }
                return
            }
            if let first = dataLine {
                first.withBytes { data.append(contentsOf: $0) }
                dataLine = nil
            }
            data.append(0x0A)
            data.append(contentsOf: value)
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
        let payload = dataLine ?? RawPayload(bytes: data)
        dataLine = nil
        data.removeAll(keepingCapacity: true)
        hasData = false
        emit(SSEEvent(type: eventType, payload: payload, id: lastEventId))
    }

    private static func equals(_ field: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        guard field.count == name.utf8CodeUnitCount else { return false }
        let s = name.utf8Start
        for k in 0..<field.count where field[k] != s[k] { return false }
        return true
    }
}

extension SSEEvent {
    /// Payloads share the array of the read they lay in, which a read that is mostly something
    /// else — comments, padding, fields nobody reads — would keep alive for a few bytes of
    /// payload for as long as anything holds its batch (a front end's stream of batches, which
    /// no backlog bounds): a hostile server could then make a run hold far more than the
    /// payloads it sent. So the payloads of such a read (under half of it payload bytes), and
    /// any left over from the read before, get arrays of their own: what a run holds stays
    /// within twice its payloads.
    public static func compactSparse(_ events: inout [SSEEvent], read: [UInt8]) {
        var carried = 0
        for i in events.indices where events[i].payload.lies(in: read) { carried += events[i].payload.count }
        let sparse = carried * 2 < read.count
        for i in events.indices where sparse || !events[i].payload.lies(in: read) {
            events[i].payload = events[i].payload.compacted()
        }
    }
}

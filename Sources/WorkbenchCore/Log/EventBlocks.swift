import Foundation
import GRDB
import GRDBSQLite

/// How a run's raw stream payloads are stored: one row per block in `run_event_blocks` (the
/// run's payloads of one commit group, `PendingEvents`: thousands at full speed), each payload
/// stored as what differs from the one before it.
///
/// A row per payload made SQLite's per-row work the largest share of a 100,000-chunk stream's
/// CPU; a block is one insert per commit. Consecutive chunk payloads differ only in a few bytes
/// (the token) between a long shared head (`{"id":…,"model":…,"delta":{"content":"`) and tail,
/// so storing them whole wrote 16 MB for 0.5 MB of text, twice (WAL, then checkpoint). Each
/// payload is kept exactly: `data` holds, per payload, only the bytes not shared with the
/// previous payload of the block; `layout` holds, per payload, four LEB128 varints — the arrival
/// offset's change from the previous payload's (zigzag, µs), the payload's length, and how many
/// bytes it shares with the previous payload's start and end. A block's first payload shares
/// nothing, so a block decodes alone. No library does this delta: a general compressor (zlib)
/// costs more CPU than the writes it saves.
///
/// Logs written before blocks keep their per-payload rows in `run_events`; readers take both
/// (`RunLog+Events`).
enum EventBlocks {
    /// A block ready to store: its first payload's sequence number, how many it holds, its blobs.
    struct Block {
        var firstSeq: Int
        var count: Int
        var encoded: Encoded
    }

    /// Stores blocks of a run (`PendingEvents` builds them as the log takes each batch), binding
    /// the blobs with the SQLite C API: GRDB's general arguments would copy each one.
    static func insert(_ blocks: [Block], runId: String, db: Database) throws {
        guard !blocks.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql:
                "INSERT OR REPLACE INTO run_event_blocks (run_id, first_seq, count, layout, data) VALUES (?, ?, ?, ?, ?)"
        )
        for block in blocks {
            try insertBlock(
                block.encoded, firstSeq: block.firstSeq, count: block.count, runId: runId,
                statement: statement.sqliteStatement, db: db)
        }
    }

    /// A block's two blobs.
    struct Encoded: Equatable {
        var layout: [UInt8]
        var data: [UInt8]
    }

    /// One block, built a payload at a time.
    struct Builder {
        var encoded = Encoded(layout: [], data: [])
        var firstSeq = 0
        var count = 0
        private var previousOffset: Int64 = 0
        /// The previous payload's bytes, copied: holding its string instead cost a retain and a
        /// release per payload, more than copying its hundred-odd bytes.
        private var previous: [UInt8] = []

        mutating func append(offset: Int64, payload: RawPayload) {
            payload.withBytes { append(offset: offset, bytes: $0) }
        }

        private mutating func append(offset: Int64, bytes c: UnsafeBufferPointer<UInt8>) {
            if count == 0 { encoded.layout.reserveCapacity(1024) }
            let (head, tail) = previous.withUnsafeBufferPointer { SharedBytes.lengths($0, c) }
            // The entry's four varints (ten bytes each at most) are put together on the stack and
            // appended at once.
            var entry: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &entry) { out in
                var n = EventBlocks.putVarint(EventBlocks.zigzag(offset &- previousOffset), into: out, at: 0)
                n = EventBlocks.putVarint(UInt64(c.count), into: out, at: n)
                n = EventBlocks.putVarint(UInt64(head), into: out, at: n)
                n = EventBlocks.putVarint(UInt64(tail), into: out, at: n)
                encoded.layout.append(contentsOf: UnsafeRawBufferPointer(rebasing: out[0..<n]))
            }
            encoded.data.append(contentsOf: UnsafeBufferPointer(rebasing: c[head..<c.count - tail]))
            previous.removeAll(keepingCapacity: true)
            previous.append(contentsOf: c)
            previousOffset = offset
            count += 1
        }
    }

    private static func insertBlock(
        _ block: Encoded, firstSeq: Int, count: Int, runId: String, statement h: OpaquePointer, db: Database
    ) throws {
        // A block past 2 GiB (an event that large, with `max_event_mib` raised) cannot be bound: a
        // clear write failure, not a crash on the conversion. SQLite refuses past 1 GB anyway.
        guard block.layout.count <= Int32.max, block.data.count <= Int32.max else {
            throw DatabaseError(resultCode: .SQLITE_TOOBIG, message: "a block of stream events is larger than 2 GiB")
        }
        sqlite3_reset(h)
        defer {
            sqlite3_reset(h)
            sqlite3_clear_bindings(h)
        }
        var code = runId.withCString { sqlite3_bind_text(h, 1, $0, -1, transient) }
        if code == SQLITE_OK { code = sqlite3_bind_int64(h, 2, Int64(firstSeq)) }
        if code == SQLITE_OK { code = sqlite3_bind_int64(h, 3, Int64(count)) }
        // The buffers outlive the step, so SQLite may read them in place (no destructor, no copy);
        // a zero-length blob still needs a non-null pointer.
        code = block.layout.withUnsafeBytes { l in
            block.data.withUnsafeBytes { d in
                var c = code
                if c == SQLITE_OK {
                    c = sqlite3_bind_blob(h, 4, l.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, Int32(l.count), nil)
                }
                if c == SQLITE_OK {
                    c = sqlite3_bind_blob(h, 5, d.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, Int32(d.count), nil)
                }
                if c == SQLITE_OK { c = sqlite3_step(h) }
                return c
            }
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// A block that does not add up (a log edited or damaged by hand): reading stops with this
    /// instead of trusting its lengths.
    struct Damaged: Error, CustomStringConvertible {
        var runId: String
        var firstSeq: Int
        var description: String {
            "the stored events of run \(runId) from #\(firstSeq) are damaged (their lengths do not add up)"
        }
    }

    /// One payload's entry in `layout`.
    private struct Entry {
        var offset: Int64
        var length: Int
        var head: Int
        var tail: Int
        var middle: Int { length - head - tail }
    }

    /// The entries of a block, checked against its count, its data's size and each other.
    private static func entries(runId: String, firstSeq: Int, count: Int, layout: Data, dataBytes: Int) throws
        -> [Entry]
    {
        let damaged = Damaged(runId: runId, firstSeq: firstSeq)
        guard count >= 0, count <= layout.count else { throw damaged }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        try layout.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var at = 0
            var offset: Int64 = 0
            var previousLength = 0
            var total = 0
            for _ in 0..<count {
                guard let delta = varint(raw, &at), let length = varint(raw, &at), let head = varint(raw, &at),
                    let tail = varint(raw, &at), length <= UInt64(Int32.max), head <= length, tail <= length - head,
                    head + tail <= UInt64(previousLength)
                else { throw damaged }
                offset = offset &+ unzigzag(delta)
                let e = Entry(offset: offset, length: Int(length), head: Int(head), tail: Int(tail))
                total += e.middle
                previousLength = e.length
                entries.append(e)
            }
            guard at == raw.count, total == dataBytes else { throw damaged }
        }
        return entries
    }

    /// Each payload's place in a block (sequence number, offset, length), without its bytes.
    static func sizes(runId: String, firstSeq: Int, count: Int, layout: Data, dataBytes: Int) throws -> [EventSize] {
        try entries(runId: runId, firstSeq: firstSeq, count: count, layout: layout, dataBytes: dataBytes).enumerated()
            .map {
                EventSize(seq: firstSeq + $0.offset, offsetUs: $0.element.offset, bytes: $0.element.length)
            }
    }

    /// The payloads of one block, in order, rebuilt exactly.
    static func events(runId: String, firstSeq: Int, count: Int, layout: Data, data: Data) throws -> [StoredEvent] {
        let list = try entries(runId: runId, firstSeq: firstSeq, count: count, layout: layout, dataBytes: data.count)
        var events: [StoredEvent] = []
        events.reserveCapacity(list.count)
        var previous: [UInt8] = []
        var current: [UInt8] = []
        data.withUnsafeBytes { raw in
            var at = 0
            for (i, e) in list.enumerated() {
                current.removeAll(keepingCapacity: true)
                current.append(contentsOf: previous[0..<e.head])
                current.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[at..<at + e.middle]))
                current.append(contentsOf: previous[(previous.count - e.tail)...])
                at += e.middle
                events.append(
                    StoredEvent(
                        runId: runId, seq: firstSeq + i, offsetUs: e.offset,
                        data: String(decoding: current, as: UTF8.self)))
                swap(&previous, &current)
            }
        }
        return events
    }

    private static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    private static func unzigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }

    /// Writes `value` as LEB128 at `at` (at most ten bytes); returns where it ended.
    private static func putVarint(_ value: UInt64, into out: UnsafeMutableRawBufferPointer, at: Int) -> Int {
        var v = value
        var i = at
        while v >= 0x80 {
            out[i] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            i += 1
        }
        out[i] = UInt8(v)
        return i + 1
    }

    /// Reads one varint at `at`; nil past the end or past 64 bits.
    private static func varint(_ raw: UnsafeRawBufferPointer, _ at: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while at < raw.count {
            let b = raw[at]
            at += 1
            guard shift < 64 else { return nil }
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}

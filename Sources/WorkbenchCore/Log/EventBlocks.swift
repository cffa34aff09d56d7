import Foundation
import GRDB
import GRDBSQLite

/// How a run's raw stream payloads are stored: one row per batch (one network read, a few
/// hundred payloads at full speed) in `run_event_blocks`, not one row per payload.
///
/// A row per payload made SQLite's per-row work (a B-tree insert of a key repeating the run id,
/// a statement step) the largest share of a 100,000-chunk stream's CPU; a block is one insert per
/// read. Each payload keeps its exact bytes, its sequence number and its arrival offset: `layout`
/// holds, per payload in order, its offset in microseconds (Int64) and its length in bytes
/// (UInt32), little-endian; `data` is the payloads' bytes back to back. Logs written before
/// blocks keep their per-payload rows in `run_events`; readers take both (`RunLog+Events`).
enum EventBlocks {
    /// Bytes of `layout` per payload: an Int64 offset and a UInt32 length.
    static let entryBytes = 12

    /// Stores payloads as blocks: one per run of consecutive sequence numbers (a batch is one),
    /// binding the blobs with the SQLite C API — GRDB's general arguments would copy each one.
    static func insert(_ rows: [(Int, Int64, String)], runId: String, db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO run_event_blocks (run_id, first_seq, count, layout, data) VALUES (?, ?, ?, ?, ?)")
        var start = 0
        while start < rows.count {
            var end = start + 1
            while end < rows.count && rows[end].0 == rows[end - 1].0 + 1 { end += 1 }
            try insertBlock(rows[start..<end], runId: runId, statement: statement.sqliteStatement, db: db)
            start = end
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func insertBlock(
        _ rows: ArraySlice<(Int, Int64, String)>, runId: String, statement h: OpaquePointer, db: Database
    ) throws {
        var layout = [UInt8]()
        layout.reserveCapacity(rows.count * entryBytes)
        var data = [UInt8]()
        data.reserveCapacity(rows.reduce(0) { $0 + $1.2.utf8.count })
        for (_, offset, text) in rows {
            var text = text
            let length = text.withUTF8 { bytes in
                data.append(contentsOf: bytes)
                return bytes.count
            }
            withUnsafeBytes(of: offset.littleEndian) { layout.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: length).littleEndian) { layout.append(contentsOf: $0) }
        }
        sqlite3_reset(h)
        defer {
            sqlite3_reset(h)
            sqlite3_clear_bindings(h)
        }
        var code = runId.withCString { sqlite3_bind_text(h, 1, $0, -1, transient) }
        if code == SQLITE_OK { code = sqlite3_bind_int64(h, 2, Int64(rows.first!.0)) }
        if code == SQLITE_OK { code = sqlite3_bind_int64(h, 3, Int64(rows.count)) }
        // The buffers outlive the step, so SQLite may read them in place (no destructor, no copy).
        code = layout.withUnsafeBytes { l in
            data.withUnsafeBytes { d in
                var c = code
                if c == SQLITE_OK { c = sqlite3_bind_blob(h, 4, l.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(l.count), nil) }
                if c == SQLITE_OK { c = sqlite3_bind_blob(h, 5, d.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(d.count), nil) }
                if c == SQLITE_OK { c = sqlite3_step(h) }
                return c
            }
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    /// A block that does not add up (a log edited or damaged by hand): reading stops with this
    /// instead of trusting its lengths.
    struct Damaged: Error, CustomStringConvertible {
        var runId: String
        var firstSeq: Int
        var description: String { "the stored events of run \(runId) from #\(firstSeq) are damaged (their lengths do not add up)" }
    }

    /// Each payload's place in a block, checked against the block's sizes.
    static func entries(runId: String, firstSeq: Int, count: Int, layout: Data, dataBytes: Int) throws -> [EventSize] {
        guard count >= 0, layout.count == count * entryBytes else { throw Damaged(runId: runId, firstSeq: firstSeq) }
        var sizes: [EventSize] = []
        sizes.reserveCapacity(count)
        var total = 0
        layout.withUnsafeBytes { raw in
            for i in 0..<count {
                let offset = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * entryBytes, as: Int64.self))
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * entryBytes + 8, as: UInt32.self)))
                sizes.append(EventSize(seq: firstSeq + i, offsetUs: offset, bytes: length))
                total += length
            }
        }
        guard total == dataBytes else { throw Damaged(runId: runId, firstSeq: firstSeq) }
        return sizes
    }

    /// The payloads of one block, in order.
    static func events(runId: String, firstSeq: Int, count: Int, layout: Data, data: Data) throws -> [StoredEvent] {
        let sizes = try entries(runId: runId, firstSeq: firstSeq, count: count, layout: layout, dataBytes: data.count)
        var events: [StoredEvent] = []
        events.reserveCapacity(sizes.count)
        data.withUnsafeBytes { raw in
            var at = 0
            for s in sizes {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: raw[at..<at + s.bytes]), as: UTF8.self)
                events.append(StoredEvent(runId: runId, seq: s.seq, offsetUs: s.offsetUs, data: text))
                at += s.bytes
            }
        }
        return events
    }
}

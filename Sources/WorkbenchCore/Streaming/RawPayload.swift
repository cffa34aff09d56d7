/// A raw payload's bytes exactly as they arrived: a `data:` field's value, or a whole
/// non-stream body. Usually a range of the network read it came in, which all of that read's
/// payloads share; bytes of its own when it was not one piece of a read (a line split across
/// reads, several `data:` lines, a body, a test's text).
///
/// A stream's payloads used to become a `String` each: an allocation, a UTF-8 check and a copy
/// per payload on the reader, then a free on the log's writer, for text that nobody but the log
/// reads and the log stores as bytes (issue 15). The bytes are not checked here: whoever turns
/// them into text (`text`, the decoders, the log's readers) decodes them with repair, which
/// gives the same text as checking first.
public struct RawPayload: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private let storage: [UInt8]
    private let start: Int
    private let end: Int

    /// The bytes of `range` in `read`; `read` is shared, not copied.
    init(_ read: [UInt8], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= read.count)
        storage = read
        start = range.lowerBound
        end = range.upperBound
    }

    /// All of `bytes`.
    public init(bytes: [UInt8]) { self.init(bytes, range: 0..<bytes.count) }

    /// The UTF-8 of `text`.
    public init(_ text: String) { self.init(bytes: Array(text.utf8)) }

    public init(stringLiteral text: String) { self.init(text) }

    /// How many bytes.
    public var count: Int { end - start }

    /// The bytes as text; a byte sequence that is not UTF-8 reads as U+FFFD.
    public var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    public var description: String { text }

    /// Whether the bytes are a range of `read` (the same array storage, not a copy of it).
    public func lies(in read: [UInt8]) -> Bool {
        storage.withUnsafeBufferPointer { a in read.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    /// The same bytes, in an array of their own unless they already fill theirs: what a payload
    /// keeps alive is then its own size.
    public func compacted() -> RawPayload {
        storage.count == count ? self : withBytes { RawPayload(bytes: Array($0)) }
    }

    /// Reads the bytes in place.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { all in try body(UnsafeBufferPointer(rebasing: all[start..<end])) }
    }

    public static func == (a: RawPayload, b: RawPayload) -> Bool {
        a.count == b.count && a.withBytes { x in b.withBytes { y in x.elementsEqual(y) } }
    }
}

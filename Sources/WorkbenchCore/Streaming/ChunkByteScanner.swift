/// The fast chunk decoder gave up: the payload is valid but unusual, or not valid at all. It is
/// never shown to anyone; the caller decodes the same payload with `JSONDecoder` instead.
struct ChunkFallback: Error {}

/// A cursor over the UTF-8 bytes of one JSON payload, for `ChunkFastDecoder`.
///
/// It reads strict RFC 8259 JSON and nothing else: whatever it cannot read exactly (a key with an
/// escape, a lone surrogate, a raw control character, a fraction where an integer belongs, a
/// nested value it was not asked for) throws `ChunkFallback`, because agreeing with
/// `JSONDecoder` on every input it accepts matters more than accepting many inputs.
/// The bytes are a payload as it arrived: strings are decoded with repair, so a byte sequence
/// that is not UTF-8 reads as U+FFFD, as it did when payloads were made `String`s first.
struct ChunkByteScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    /// Where the chunk's text value lies, quotes included: the one `content` or
    /// `reasoning_content` string of its delta. Nil when it has none, or more than one.
    private(set) var text: ChunkText?
    private var texts = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// The string just read, from `start`, was the delta's text `field`.
    mutating func markText(from start: Int, _ field: ChunkText.Field) {
        texts += 1
        text = texts == 1 ? ChunkText(span: start..<position, field: field) : nil
    }

    // MARK: Structure

    /// Skips JSON white space (space, tab, LF, CR — nothing else counts in JSON).
    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            let b = bytes[position]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    var atEnd: Bool { position >= bytes.count }

    /// The next byte without consuming it; throws at the end of the input.
    @inline(__always)
    func peek() throws(ChunkFallback) -> UInt8 {
        guard position < bytes.count else { throw ChunkFallback() }
        return bytes[position]
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(ChunkFallback) {
        guard position < bytes.count, bytes[position] == byte else { throw ChunkFallback() }
        position += 1
    }

    /// Call after `{`, then once per member: returns the member's key (its raw bytes, with the
    /// cursor on the value), or nil at the closing `}`. `first` tracks whether a comma is due.
    mutating func nextKey(first: inout Bool) throws(ChunkFallback) -> Range<Int>? {
        guard try more(closing: UInt8(ascii: "}"), first: &first) else { return nil }
        let key = try rawKey()
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        return key
    }

    /// Call after `[`, then before each element: false at the closing `]`.
    mutating func nextElement(first: inout Bool) throws(ChunkFallback) -> Bool {
        try more(closing: UInt8(ascii: "]"), first: &first)
    }

    /// False (past it) at `closing`; otherwise true, past the comma due before all but the first
    /// item. A comma right before `closing` is refused, as strict JSON does.
    private mutating func more(closing: UInt8, first: inout Bool) throws(ChunkFallback) -> Bool {
        skipWhitespace()
        if try peek() == closing {
            position += 1
            return false
        }
        if !first {
            try expect(UInt8(ascii: ","))
            skipWhitespace()
        }
        first = false
        return true
    }

    /// A key without escapes. A key with one (`"con\u0074ent"`) would need decoding before it
    /// could be compared, so it is left to the general decoder.
    private mutating func rawKey() throws(ChunkFallback) -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let start = position
        guard try plainRun() == UInt8(ascii: "\"") else { throw ChunkFallback() }
        position += 1
        return start..<(position - 1)
    }

    /// Advances over string bytes up to the next `"` or `\`, which it returns without consuming.
    /// A raw control character is not JSON: it throws, as does the end of the input.
    @inline(__always)
    private mutating func plainRun() throws(ChunkFallback) -> UInt8 {
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return b }
            if b < 0x20 { throw ChunkFallback() }
            position += 1
        }
        throw ChunkFallback()
    }

    /// Whether the key's bytes are exactly `name`.
    func key(_ key: Range<Int>, is name: StaticString) -> Bool {
        guard key.count == name.utf8CodeUnitCount else { return false }
        let s = name.utf8Start
        var k = 0
        while k < key.count {
            if bytes[key.lowerBound + k] != s[k] { return false }
            k += 1
        }
        return true
    }

    /// Consumes `null` when it is next; false (and nothing consumed) otherwise.
    mutating func takeNull() throws(ChunkFallback) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ word: StaticString) throws(ChunkFallback) {
        let s = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount {
            try expect(s[k])
        }
    }

    // MARK: Values

    /// A string or `null`; any other value throws.
    mutating func nullableString() throws(ChunkFallback) -> String? {
        if try takeNull() { return nil }
        return try string()
    }

    /// A whole number written as one (no fraction, no exponent) or `null`. Other spellings of a
    /// number (`1.0`, `1e3`) and integers of more than 18 digits are left to the general decoder,
    /// whose rules for them are its own.
    mutating func nullableInt() throws(ChunkFallback) -> Int? {
        if try takeNull() { return nil }
        var negative = false
        if try peek() == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        let start = position
        var value = 0
        while position < bytes.count {
            let d = bytes[position] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            value = value &* 10 &+ Int(d)
            position += 1
        }
        let digits = position - start
        guard digits > 0, digits <= 18, digits == 1 || bytes[start] != UInt8(ascii: "0") else { throw ChunkFallback() }
        if position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { throw ChunkFallback() }
        }
        return negative ? -value : value
    }

    /// Skips a string, number, `true`, `false` or `null`, checking it as strictly as JSON does.
    /// An object or an array throws: skipping nesting exactly is not worth its risk here.
    mutating func skipScalar() throws(ChunkFallback) {
        switch try peek() {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw ChunkFallback()
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, exactly.
    private mutating func skipNumber() throws(ChunkFallback) {
        if try peek() == UInt8(ascii: "-") { position += 1 }
        if try peek() == UInt8(ascii: "0") {
            position += 1
        } else {
            try digits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            try digits()
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            let sign = try peek()
            if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            try digits()
        }
    }

    /// One or more decimal digits.
    private mutating func digits() throws(ChunkFallback) {
        let start = position
        while position < bytes.count, bytes[position] &- UInt8(ascii: "0") < 10 { position += 1 }
        guard position > start else { throw ChunkFallback() }
    }

    /// Checks a string whose value nobody reads, escapes included, and moves past it.
    private mutating func skipString() throws(ChunkFallback) {
        try expect(UInt8(ascii: "\""))
        var scratch: [UInt8] = []
        while try plainRun() == UInt8(ascii: "\\") {
            scratch.removeAll(keepingCapacity: true)
            try escape(into: &scratch)
        }
        position += 1
    }

    /// A string value. Text without escapes is copied straight from the input; an escape
    /// switches to a buffer that the runs between escapes and the decoded escapes are appended to.
    mutating func string() throws(ChunkFallback) -> String {
        try expect(UInt8(ascii: "\""))
        var start = position
        if try plainRun() == UInt8(ascii: "\"") {
            position += 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)]), as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(position - start + 16)
        repeat {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            try escape(into: &out)
            start = position
        } while try plainRun() == UInt8(ascii: "\\")
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        position += 1
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes one escape (the cursor on its backslash) and appends its UTF-8. A `\u` surrogate
    /// must be a high one followed by a low one; a lone surrogate throws (decoders disagree on it).
    private mutating func escape(into out: inout [UInt8]) throws(ChunkFallback) {
        position += 1
        let e = try peek()
        position += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if scalar >= 0xDC00 && scalar <= 0xDFFF { throw ChunkFallback() }
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                try expect(UInt8(ascii: "\\"))
                try expect(UInt8(ascii: "u"))
                let low = try hex4()
                guard low >= 0xDC00 && low <= 0xDFFF else { throw ChunkFallback() }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let u = Unicode.Scalar(scalar) else { throw ChunkFallback() }
            out.append(contentsOf: u.utf8)
        default:
            throw ChunkFallback()
        }
    }

    private mutating func hex4() throws(ChunkFallback) -> UInt32 {
        guard position + 4 <= bytes.count else { throw ChunkFallback() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw ChunkFallback()
            }
            v = v << 4 | UInt32(d)
            position += 1
        }
        return v
    }
}

/// A chunk's one text value: where it lies in the payload (its quotes included) and which field
/// of the delta it is.
struct ChunkText: Equatable {
    enum Field { case content, reasoning }
    var span: Range<Int>
    var field: Field
}

/// Width measurement and clean-up for layout. Chat replies are mostly ASCII, and measuring them
/// byte by byte instead of grapheme by grapheme keeps a 200 KB reply's layout fast even in a
/// debug build; anything else defers to `DisplayWidth`, so layout and screen agree.
enum TextWidth {
    static func of(_ s: String) -> Int {
        asciiWidth(s.utf8) ?? DisplayWidth.of(s)
    }

    static func of(_ s: Substring) -> Int {
        asciiWidth(s.utf8) ?? DisplayWidth.of(s)
    }

    /// Columns of pure-ASCII text (controls count 0, as `DisplayWidth` says), or nil if there is
    /// anything else. Loops over a buffer pointer: a generic byte iterator costs far more in a
    /// debug build.
    static func asciiWidth(_ u: String.UTF8View) -> Int? {
        u.withContiguousStorageIfAvailable(asciiWidth) ?? asciiWidth(Array(u))
    }

    static func asciiWidth(_ u: Substring.UTF8View) -> Int? {
        u.withContiguousStorageIfAvailable(asciiWidth) ?? asciiWidth(Array(u))
    }

    private static func asciiWidth(_ buf: UnsafeBufferPointer<UInt8>) -> Int? {
        var n = 0
        var i = 0
        let count = buf.count
        while i < count {
            let b = buf[i]
            if b >= 0x80 { return nil }
            if b >= 0x20 && b != 0x7F { n += 1 }
            i += 1
        }
        return n
    }

    private static func asciiWidth(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer(asciiWidth)
    }

    static func hasControl(_ s: String) -> Bool {
        func scan(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
            var i = 0
            let count = buf.count
            while i < count {
                let b = buf[i]
                if b < 0x20 || b == 0x7F { return true }
                i += 1
            }
            return false
        }
        return s.utf8.withContiguousStorageIfAvailable(scan) ?? Array(s.utf8).withUnsafeBufferPointer(scan)
    }

    /// Grid.put shows control characters as "·" and layout must measure what is shown, so text
    /// is cleaned before it is measured: tabs become spaces up to the next stop (every 4 columns
    /// from the start of `s`), CR disappears, a stray newline becomes a space, and other
    /// control characters become "·".
    static func clean(_ s: String) -> String {
        guard hasControl(s) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var col = 0
        for ch in s {
            if ch == "\t" {
                let n = 4 - col % 4
                out += String(repeating: " ", count: n)
                col += n
            } else if ch == "\r" {
                continue
            } else if ch == "\n" || ch == "\r\n" {
                out += " "
                col += 1
            } else if let v = ch.asciiValue, v < 0x20 || v == 0x7F {
                out += "·"
                col += 1
            } else {
                out.append(ch)
                col += DisplayWidth.of(ch)
            }
        }
        return out
    }
}

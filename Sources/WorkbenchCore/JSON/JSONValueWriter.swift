import Foundation

/// Writes a `JSONValue` as the text `JSONEncoder` gives it with sorted keys and unescaped
/// slashes, compact or pretty, byte for byte, straight into one buffer.
///
/// `JSONEncoder` first copies the value into a tree of its own and then writes that tree; for a
/// run's record (`--json`, `logs show --json`) with a long reply, that was 2.6% of a 100,000-chunk
/// run's CPU (issue 15). `JSONValueWriterTests` holds the two to the same bytes on random values.
/// A number that is not finite, which `JSONEncoder` refuses, is not written here: `text` returns
/// nil and the caller asks `JSONEncoder`, so its answer stays its own.
enum JSONValueWriter {
    static func text(_ value: JSONValue, pretty: Bool) -> String? {
        bytes(value, pretty: pretty).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The same text as UTF-8 bytes, for a caller that writes them out as they are.
    static func bytes(_ value: JSONValue, pretty: Bool) -> [UInt8]? {
        var w = Writer(pretty: pretty)
        guard w.write(value) else { return nil }
        return w.out
    }

    private struct Writer {
        let pretty: Bool
        var out: [UInt8] = []
        var depth = 0

        init(pretty: Bool) {
            self.pretty = pretty
            out.reserveCapacity(256)
        }

        mutating func write(_ value: JSONValue) -> Bool {
            switch value {
            case .null: put("null")
            case .bool(let b): put(b ? "true" : "false")
            case .number(let n):
                guard n.isFinite else { return false }
                // As `JSONValue.encode(to:)`: integral numbers as integers.
                if n.rounded() == n, abs(n) < 1e15 {
                    put(String(Int64(n)))
                } else {
                    var s = n.description
                    if s.hasSuffix(".0") { s.removeLast(2) }
                    put(s)
                }
            case .string(let s): string(s)
            case .array(let a):
                out.append(UInt8(ascii: "["))
                open()
                for (i, e) in a.enumerated() {
                    if i > 0 { separator() }
                    indent()
                    guard write(e) else { return false }
                }
                close(UInt8(ascii: "]"))
            case .object(let o):
                out.append(UInt8(ascii: "{"))
                open()
                for (i, key) in Self.sorted(o.keys).enumerated() {
                    if i > 0 { separator() }
                    indent()
                    string(key)
                    put(pretty ? " : " : ":")
                    guard write(o[key]!) else { return false }
                }
                close(UInt8(ascii: "}"))
            }
            return true
        }

        /// `JSONEncoder`'s order for sorted keys: by their UTF-8 bytes.
        static func sorted(_ keys: Dictionary<String, JSONValue>.Keys) -> [String] {
            keys.sorted { a, b in a.utf8.lexicographicallyPrecedes(b.utf8) }
        }

        private mutating func open() {
            guard pretty else { return }
            out.append(0x0A)
            depth += 1
        }

        private mutating func separator() {
            out.append(UInt8(ascii: ","))
            if pretty { out.append(0x0A) }
        }

        private mutating func indent() {
            guard pretty else { return }
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
        }

        private mutating func close(_ bracket: UInt8) {
            if pretty {
                out.append(0x0A)
                depth -= 1
                indent()
            }
            out.append(bracket)
        }

        private mutating func put(_ s: String) { out.append(contentsOf: s.utf8) }

        private static let hex = Array("0123456789abcdef".utf8)

        /// A string with `"`, `\` and the control characters escaped; everything else, `/`
        /// included, as it is.
        private mutating func string(_ s: String) {
            out.append(UInt8(ascii: "\""))
            var s = s
            s.withUTF8 { bytes in
                var start = 0
                for i in bytes.indices {
                    let b = bytes[i]
                    guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                    start = i + 1
                    switch b {
                    case UInt8(ascii: "\""): put("\\\"")
                    case UInt8(ascii: "\\"): put("\\\\")
                    case 0x08: put("\\b")
                    case 0x0C: put("\\f")
                    case 0x0A: put("\\n")
                    case 0x0D: put("\\r")
                    case 0x09: put("\\t")
                    default:
                        put("\\u00")
                        out.append(Self.hex[Int(b >> 4)])
                        out.append(Self.hex[Int(b & 0x0F)])
                    }
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            }
            out.append(UInt8(ascii: "\""))
        }
    }
}

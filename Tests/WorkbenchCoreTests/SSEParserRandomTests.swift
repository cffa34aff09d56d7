import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// The parser's word-at-a-time line search and its event assembly against a plain reading of the
/// spec, on random streams cut at random points: line endings of every kind (a CRLF split across
/// reads too), multi-line data, comments, other fields, CJK and invalid UTF-8 (handed on as the
/// bytes sent).
@Suite("SSE parser on random streams")
struct SSEParserRandomTests {
    @Test("lineEnd finds the first CR or LF from every offset, as a byte-by-byte search does")
    func lineEndMatchesByteSearch() {
        var rng = SplitMix64(seed: 0x55E)
        for _ in 0..<400 {
            let n = Int(rng.next() % 70)
            let bytes = (0..<n).map { _ -> UInt8 in
                switch rng.next() % 10 {
                case 0: return 0x0A
                case 1: return 0x0D
                case 2: return UInt8(truncatingIfNeeded: rng.next()) // any byte, high bit included
                default: return UInt8(ascii: "a") + UInt8(rng.next() % 26)
                }
            }
            bytes.withUnsafeBufferPointer { p in
                for from in 0...n {
                    let expected = (from..<n).first { bytes[$0] == 0x0A || bytes[$0] == 0x0D } ?? n
                    #expect(SSEParser.lineEnd(p, from: from) == expected, "\(bytes) from \(from)")
                }
            }
        }
    }

    @Test("random streams in random reads give the events of a line-by-line reading of the spec")
    func randomStreamsMatchTheSpec() {
        var rng = SplitMix64(seed: 0xE7E_5EED)
        for round in 0..<300 {
            let stream = Self.randomStream(&rng)
            let expected = Self.reference(stream)
            var cuts = Set<Int>()
            for _ in 0..<Int(rng.next() % 6) { cuts.insert(Int(rng.next() % UInt64(stream.count + 1))) }
            var parts: [[UInt8]] = []
            var from = 0
            for cut in cuts.sorted() {
                parts.append(Array(stream[from..<cut]))
                from = cut
            }
            parts.append(Array(stream[from...]))
            #expect(parseAll(parts, finish: false) == expected, "round \(round): \(parts)")
        }
    }

    /// Lines of fields, comments and blank lines, each ended by LF, CR or CRLF.
    static func randomStream(_ rng: inout SplitMix64) -> [UInt8] {
        let values = ["", "x", "{\"a\":1}", "你好世界", " lead", "a:b", "0123456789abcdefghij"]
        var out: [UInt8] = []
        for _ in 0..<Int(rng.next() % 12) {
            switch rng.next() % 8 {
            case 0, 1: out += [] // a blank line: dispatch
            case 2: out += Array(": comment".utf8)
            case 3: out += Array("event: e\(rng.next() % 3)".utf8)
            case 4: out += Array("id: \(rng.next() % 9)".utf8)
            case 5: out += Array("data:".utf8) + [0xE4, 0xBD] + Array("x".utf8) // a cut character
            default: out += Array("data: \(values[Int(rng.next() % UInt64(values.count))])".utf8)
            }
            out += [[0x0A], [0x0D], [0x0D, 0x0A]][Int(rng.next() % 3)]
        }
        return out
    }

    /// The spec read plainly: split into lines on CRLF, CR or LF, then take each field.
    static func reference(_ stream: [UInt8]) -> [SSEEvent] {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        var i = 0
        while i < stream.count {
            let b = stream[i]
            if b == 0x0A || b == 0x0D {
                lines.append(line)
                line = []
                if b == 0x0D, i + 1 < stream.count, stream[i + 1] == 0x0A { i += 1 }
            } else {
                line.append(b)
            }
            i += 1
        }
        var events: [SSEEvent] = []
        var data: [UInt8]?
        var type: String?
        var id: String?
        for l in lines {
            if l.isEmpty {
                if let d = data {
                    // The data's bytes exactly as sent, a cut character included.
                    events.append(SSEEvent(type: type, payload: RawPayload(bytes: d), id: id))
                }
                data = nil
                type = nil
                continue
            }
            if l[0] == UInt8(ascii: ":") { continue }
            let colon = l.firstIndex(of: UInt8(ascii: ":")) ?? l.count
            var value = colon < l.count ? Array(l[(colon + 1)...]) : []
            if value.first == 0x20 { value.removeFirst() }
            switch String(decoding: l[..<colon], as: UTF8.self) {
            case "data": data = data.map { $0 + [0x0A] + value } ?? value
            case "event": type = String(decoding: value, as: UTF8.self)
            case "id": id = String(decoding: value, as: UTF8.self)
            default: break
            }
        }
        return events
    }
}

/// A tiny ordered JSON value for what GLMSim sends.
///
/// The simulator must reproduce the wire bytes of the real API (compact, no spaces, keys in the
/// order the platform emits them, `finish_reason` absent rather than null), which neither
/// `JSONSerialization` nor `JSONEncoder` can promise, so responses are rendered by hand.
enum SimJSON: Sendable, Equatable {
    case object([(String, SimJSON)])
    case array([SimJSON])
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null

    static func == (lhs: SimJSON, rhs: SimJSON) -> Bool { lhs.rendered == rhs.rendered }

    /// Compact JSON text; non-ASCII stays raw UTF-8 as the platform sends it.
    var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    var bytes: [UInt8] { Array(rendered.utf8) }

    func render(into out: inout String) {
        switch self {
        case .object(let pairs):
            out.append("{")
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out.append(",") }
                SimJSON.appendString(pair.0, to: &out)
                out.append(":")
                pair.1.render(into: &out)
            }
            out.append("}")
        case .array(let items):
            out.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(",") }
                item.render(into: &out)
            }
            out.append("]")
        case .string(let s):
            SimJSON.appendString(s, to: &out)
        case .int(let n):
            out.append(String(n))
        case .double(let d):
            out.append(d.isFinite ? String(d) : "null")
        case .bool(let b):
            out.append(b ? "true" : "false")
        case .null:
            out.append("null")
        }
    }

    static func appendString(_ s: String, to out: inout String) {
        out.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }
}

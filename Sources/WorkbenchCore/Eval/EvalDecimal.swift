import Foundation

/// Dollars as exact decimal text for JSON, CSV and tables: "0.000123", never "1.23e-4" and never
/// a Double's "0.00012300000000000001". Sums of costs stay `Decimal` until printed here.
public enum EvalDecimal {
    /// Plain positional notation, `.` as the separator, no grouping, no trailing zeros after the
    /// point ("0.5", "12", "0.000001"); a negative value keeps its sign.
    public static func plain(_ d: Decimal) -> String {
        if d.isNaN { return "NaN" }
        if d.isZero { return "0" }
        let negative = d < 0
        let m = negative ? -d : d
        // Decimal's digits: significand × 10^exponent. Normalise to an integer significand text.
        var exponent = Int(m.exponent)
        var digits = NSDecimalNumber(decimal: m.significand).stringValue
        // `significand` of a Decimal is always an integer; strip its trailing zeros into the exponent.
        while digits.count > 1, digits.hasSuffix("0") {
            digits.removeLast()
            exponent += 1
        }
        let text: String
        if exponent >= 0 {
            text = digits + String(repeating: "0", count: exponent)
        } else {
            let places = -exponent
            if digits.count > places {
                let cut = digits.index(digits.endIndex, offsetBy: -places)
                text = digits[..<cut] + "." + digits[cut...]
            } else {
                text = "0." + String(repeating: "0", count: places - digits.count) + digits
            }
        }
        return negative ? "-" + text : text
    }
}

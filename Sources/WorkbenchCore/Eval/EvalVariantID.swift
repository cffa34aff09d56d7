/// Column ids: `A` … `Z`, then `AA`, `AB`, … — short enough for a table header, and never the
/// same twice however many columns a product of models, providers and modes makes.
public enum EvalVariantID {
    public static func make(_ index: Int) -> String {
        var n = max(0, index)
        var out = ""
        repeat {
            out = String(UnicodeScalar(UInt8(65 + n % 26))) + out
            n = n / 26 - 1
        } while n >= 0
        return out
    }
}

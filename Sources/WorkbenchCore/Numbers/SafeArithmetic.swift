/// Arithmetic on numbers that came from outside (a server, a file, a flag) must never trap: Swift's
/// `+` and `Int(Double)` crash the process on overflow, NaN or infinity. These are the only ways
/// such numbers are added up or converted in glmwb.
extension Int {
    /// `self + other`, pinned at `Int.max`/`Int.min` instead of trapping.
    public func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        if !overflow { return sum }
        return other > 0 ? .max : .min
    }

    /// `self * other`, pinned at the bounds instead of trapping.
    public func multipliedSaturated(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        if !overflow { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }

    /// A `Double` as an `Int`, rounded toward zero and pinned at the bounds; NaN is 0. For
    /// display and sizing only: a value that must be exact is validated where it is read.
    public init(clamping value: Double) {
        if value.isNaN { self = 0; return }
        if value >= 9.2e18 { self = .max; return }
        if value <= -9.2e18 { self = .min; return }
        self = Int(value)
    }
}

extension Sequence where Element == Int {
    /// The sum, pinned at the bounds instead of trapping.
    public func saturatedSum() -> Int { reduce(0) { $0.addingSaturated($1) } }
}

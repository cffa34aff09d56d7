/// When a stream's token-bearing chunks arrived, in a fixed number of time slices: the meter's
/// sparkline. Memory stays the same however long the stream runs (a list of every arrival grew
/// with the reply): when an arrival falls past the last slice, each pair of slices merges into
/// one and the slices get twice as wide.
public struct ArrivalBins: Sendable, Equatable {
    public static let slots = 16
    /// The first arrival, in milliseconds from the request; nil before any.
    public private(set) var originMs: Double?
    /// Milliseconds per slice.
    public private(set) var sliceMs: Double = 1
    public private(set) var counts = [Int](repeating: 0, count: ArrivalBins.slots)

    public init() {}

    public mutating func add(_ ms: Double) {
        guard ms.isFinite else { return }
        guard let origin = originMs else {
            originMs = ms
            counts[0] += 1
            return
        }
        let offset = max(0, ms - origin)
        while offset >= sliceMs * Double(Self.slots) {
            var merged = [Int](repeating: 0, count: Self.slots)
            for i in 0..<Self.slots { merged[i / 2] = merged[i / 2].addingSaturated(counts[i]) }
            counts = merged
            sliceMs *= 2
        }
        let slot = min(Self.slots - 1, Int(offset / sliceMs))
        counts[slot] = counts[slot].addingSaturated(1)
    }

    /// Chunks per slice up to the latest arrival as block characters; "" until there is a span.
    public var sparkline: String {
        guard let last = counts.lastIndex(where: { $0 > 0 }), last > 0 else { return "" }
        let used = counts[...last]
        let peak = max(1, used.max() ?? 1)
        return String(used.map { Sparkline.bars[min(7, $0.multipliedSaturated(by: 7) / peak)] })
    }
}

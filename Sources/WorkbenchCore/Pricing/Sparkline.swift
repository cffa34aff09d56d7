/// Chunk arrival over time as block characters: how bursty a stream was. The meter draws the live
/// run with it and the comparison table each mode.
public enum Sparkline {
    static let bars = Array("▁▂▃▄▅▆▇█")

    /// Chunks per time slice between the first and the last offset; "" until there is a span.
    public static func render(_ offsets: [Double], slots: Int) -> String {
        guard slots > 0, let last = offsets.last, let first = offsets.first, last > first else { return "" }
        var counts = Array(repeating: 0, count: slots)
        let span = last - first
        for o in offsets { counts[min(slots - 1, Int((o - first) / span * Double(slots)))] += 1 }
        let peak = max(1, counts.max() ?? 1)
        return String(counts.map { bars[min(7, $0 * 7 / peak)] })
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The texts an instant is written as, made without a `DateFormatter`: in the log,
/// `YYYY-MM-DD HH:MM:SS.SSS` in UTC, exactly what GRDB writes for a `Date`; in the run record's
/// JSON and the Markdown export, what `ISO8601DateFormatter` writes.
///
/// Foundation's formatters load ICU's calendar and locale data on first use: the first run of a
/// session mapped 3 MiB of ICU into memory that a fresh start does not have (issue 15: RSS after
/// Ctrl-N), and every run paid ICU's formatting. The texts are the same (milliseconds rounded as
/// ICU rounds them), so rows written before and after sort and read together. Every instant the
/// log writes goes through here: `RunRecord`'s date strategy and the dates bound as arguments.
public enum LogDate {
    public static func text(_ date: Date) -> String {
        let (parts, ms) = utc(date)
        return day(parts) + " " + time(parts) + "." + pad(ms, 3)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`: what `ISO8601DateFormatter` writes by default (the run record's
    /// JSON and the Markdown export), also without ICU.
    public static func iso8601(_ date: Date) -> String {
        let (parts, _) = utc(date)
        return day(parts) + "T" + time(parts) + "Z"
    }

    private static func day(_ t: tm) -> String {
        pad(Int(t.tm_year) + 1900, 4) + "-" + pad(Int(t.tm_mon) + 1, 2) + "-" + pad(Int(t.tm_mday), 2)
    }

    private static func time(_ t: tm) -> String {
        pad(Int(t.tm_hour), 2) + ":" + pad(Int(t.tm_min), 2) + ":" + pad(Int(t.tm_sec), 2)
    }

    /// The instant's UTC calendar fields and its milliseconds.
    private static func utc(_ date: Date) -> (tm, Int) {
        // Milliseconds since 1970, to the nearest (a half up), as ICU formats them.
        let total = Int64((date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down))
        let whole = total >= 0 ? total / 1000 : (total - 999) / 1000
        let ms = Int(total - whole * 1000)
        var seconds = time_t(whole)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (parts, ms)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

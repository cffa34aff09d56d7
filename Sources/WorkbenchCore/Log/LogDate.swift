import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The text an instant is stored as in the log: `YYYY-MM-DD HH:MM:SS.SSS` in UTC, exactly what
/// GRDB writes for a `Date`, made without a `DateFormatter`.
///
/// GRDB formats a `Date` with a `DateFormatter`, which loads ICU's calendar and locale data on
/// first use: the first run of a session mapped 3 MiB of ICU into memory that a fresh start
/// does not have (issue 15: RSS after Ctrl-N), and every run's start paid ICU's formatting.
/// The text is the same (milliseconds rounded as ICU rounds them), so rows written before and
/// after sort and read together. Every instant the log writes goes through here: `RunRecord`'s
/// date strategy and the dates bound as arguments.
public enum LogDate {
    public static func text(_ date: Date) -> String {
        // Milliseconds since 1970, to the nearest (a half up), as ICU formats them.
        let total = Int64((date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down))
        let whole = total >= 0 ? total / 1000 : (total - 999) / 1000
        let ms = Int(total - whole * 1000)
        var seconds = time_t(whole)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-"
            + pad(Int(parts.tm_mday), 2)
            + " " + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(ms, 3)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

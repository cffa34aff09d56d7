/// Where CJK text may not be broken (a light kinsoku): a line must not start with closing
/// punctuation such as "，" or "。", nor end with an opening bracket. Without these rules a
/// Chinese reply wrapped at "any two CJK characters" strands its commas at line starts.
enum LineBreakRules {
    static func noBreakBefore(_ v: UInt32) -> Bool {
        if v < 0x80 {
            // Letters and digits are by far the most common: answer them first.
            if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) { return false }
        } else if v < 0x2000 {
            return false
        }
        switch v {
        case 0x21, 0x25, 0x29, 0x2C, 0x2E, 0x3A, 0x3B, 0x3F, 0x5D, 0x7D,  // ! % ) , . : ; ? ] }
             0x2019, 0x201D, 0x2026, 0x2025, 0x30FC, 0x3005,             // ’ ” … ‥ ー 々
             0x3001, 0x3002, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301B, 0x301E,
             0x3063, 0x30C3, 0x309D, 0x309E, 0x30FD, 0x30FE, 0x30FB,     // っ ッ ゝ ゞ ヽ ヾ ・
             0xFF01, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF3D, 0xFF5D, 0xFF5E:
            return true
        default:
            return false
        }
    }

    static func noBreakAfter(_ v: UInt32) -> Bool {
        if v < 0x80 {
            if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) { return false }
        } else if v < 0x2000 {
            return false
        }
        switch v {
        case 0x28, 0x5B, 0x7B,                                              // ( [ {
             0x2018, 0x201C, 0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0x3016, 0x3018, 0x301A, 0x301D,
             0xFF08, 0xFF3B, 0xFF5B:
            return true
        default:
            return false
        }
    }
}
